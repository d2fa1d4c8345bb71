import path from 'node:path';

import { errorMessage } from '../errors.js';
import { inGroup, type Reporter } from '../report/reporter.js';
import { fileDigest } from './file-digest.js';
import type {
  Destination,
  UploadRequest,
  UploadResult,
  UploadSettings,
  Uploader,
} from './types.js';

/**
 * Loads the uploader for one destination. Each SDK is imported only when its destination is
 * used, so a run without S3 or artifacts does not pay their load time.
 */
async function loadUploader(destination: Destination): Promise<Uploader> {
  switch (destination) {
    case 'http':
      return (await import('./http.js')).httpUploader;
    case 's3':
      return (await import('./s3.js')).s3Uploader;
    case 'artifact':
      return (await import('./artifact.js')).artifactUploader;
  }
}

/**
 * Tries every destination in turn. Destinations are independent: one failing never stops
 * the next, and a failure is returned as a result, never thrown.
 */
export async function uploadEverywhere(request: UploadRequest): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  for (const reason of request.settings.skipped)
    request.reporter.info(`Not uploading to ${reason}`);
  for (const destination of request.settings.destinations) {
    const result = await inGroup(request.reporter, `Upload: ${destination}`, async () => {
      try {
        const uploader = await loadUploader(destination);
        return await uploader.upload(request);
      } catch (error) {
        return { destination, ok: false, outputs: {}, error: errorMessage(error) };
      }
    });
    if (result.ok) {
      request.reporter.info(`Uploaded to ${destination}: ${result.location ?? 'done'}`);
    } else {
      // With auto a failure is a warning: the step fails only when every destination failed.
      const message = `Upload to ${destination} failed: ${result.error ?? 'unknown error'}`;
      if (request.settings.explicit) request.reporter.error(message);
      else request.reporter.warning(message);
    }
    results.push(result);
  }
  return results;
}

/**
 * Whether the uploads failed the step: an explicitly requested destination that failed, or
 * every destination failing. One failure among successes with `auto` is only a warning.
 */
export function uploadsFailed(results: UploadResult[], explicit: boolean): boolean {
  if (results.length === 0) return false;
  if (explicit) return results.some((result) => !result.ok);
  return results.every((result) => !result.ok);
}

/** Uploads an archive that already exists on disk (the CLI's `upload`, the post step). */
export async function uploadExistingArchive(
  archivePath: string,
  settings: UploadSettings,
  reporter: Reporter,
  env: NodeJS.ProcessEnv,
): Promise<UploadResult[]> {
  const { sha256, size } = await fileDigest(archivePath);
  return uploadEverywhere({
    archivePath,
    archiveName: path.basename(archivePath),
    sha256,
    size,
    settings,
    reporter,
    env,
  });
}
