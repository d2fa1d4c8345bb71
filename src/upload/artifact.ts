import { copyFile, link, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type Artifact, DefaultArtifactClient } from '@actions/artifact';

import { errorMessage } from '../errors.js';
import { artifactChunkSize, withArtifactEnv } from './artifact-env.js';
import { collectingGarbage } from '../memory/collecting-garbage.js';
import { conflictMessage, describeArtifactError, isNameConflict } from './artifact-errors.js';
import { type ArtifactNames, artifactNames } from './artifact-name.js';
import type { UploadRequest, UploadResult, Uploader } from './types.js';

/**
 * The workflow artifact destination. The tar.gz goes up as it is (no zip around it), under
 * `<name>.tar.gz`; the library's own retries are the only ones.
 */
export const artifactUploader: Uploader = {
  destination: 'artifact',
  upload: uploadArtifact,
};

async function uploadArtifact(request: UploadRequest): Promise<UploadResult> {
  const { env, reporter, settings } = request;
  if (env.ACTIONS_RUNTIME_TOKEN) reporter.setSecret(env.ACTIONS_RUNTIME_TOKEN);
  if (isEnterpriseServer(env)) {
    return failed(
      '@actions/artifact does not support workflow artifacts on GitHub Enterprise Server ' +
        `(${env.GITHUB_SERVER_URL}); use s3 or http. The bundle is kept at ${request.archivePath}`,
    );
  }
  const names = artifactNames(settings.artifact, env);
  const firstName = names.candidates[0] ?? '';
  if (names.original !== undefined) {
    reporter.info(
      `Artifact name '${names.original}' has characters the artifact service rejects; ` +
        `using '${firstName}'`,
    );
  }

  // The library names an unwrapped upload after its file, so the archive gets a second name
  // (a hard link, or a copy across file systems) in a directory of its own.
  const staging = await mkdtemp(path.join(env.RUNNER_TEMP || tmpdir(), 'k98-artifact-'));
  let current = firstName;
  try {
    return await withArtifactEnv(env, settings.stallTimeoutMs, () =>
      uploadUnderFreeName(request, names, staging, (name) => (current = name)),
    );
  } catch (error) {
    const message = describeArtifactError(error, {
      artifactName: current,
      archivePath: request.archivePath,
      resultsUrl: env.ACTIONS_RESULTS_URL ?? '',
      stallTimeoutMs: settings.stallTimeoutMs,
    });
    return { destination: 'artifact', ok: false, outputs: {}, error: message };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Tries the candidate names in order. A name conflict moves a default name on to its next
 * suffix; an explicit name fails with advice. Any other error is thrown to the caller.
 */
async function uploadUnderFreeName(
  request: UploadRequest,
  names: ArtifactNames,
  staging: string,
  trying: (name: string) => void,
): Promise<UploadResult> {
  const { reporter, settings } = request;
  const client = new DefaultArtifactClient();
  let taken = new Set<string>();

  for (const name of names.candidates) {
    if (taken.has(name)) continue;
    trying(name);

    if (settings.artifact.overwrite) await deleteEarlier(client, name, request);
    const file = await stageArchive(request.archivePath, staging, name);

    reporter.info(`Uploading workflow artifact '${name}' (${request.size} bytes)`);
    try {
      // One block of the library's: see collectingGarbage.
      const response = await collectingGarbage(
        artifactChunkSize(),
        (message) => reporter.debug(message),
        () =>
          client.uploadArtifact(name, [file], staging, {
            skipArchive: true,
            retentionDays: settings.artifact.retentionDays || undefined,
          }),
      );
      return uploaded(request, name, response.id, response.digest);
    } catch (error) {
      if (!isNameConflict(error)) throw error;
    }

    // Someone (an earlier step, a sibling matrix job, or our own main step before a post
    // step) has this name. The same bundle under any of our names counts as uploaded.
    const existing = await listQuietly(client, request);
    const same = findSameBundle(existing, names.candidates, request.sha256);
    if (same) return alreadyPresent(request, same);
    if (names.explicit) {
      return failed(conflictMessage(name, request.archivePath, true));
    }
    taken = new Set(existing.map((artifact) => artifact.name));
    reporter.info(`Artifact name '${name}' is already taken in this run; trying the next one`);
  }

  const last = names.candidates[names.candidates.length - 1] ?? '';
  return failed(conflictMessage(last, request.archivePath, false));
}

/**
 * A workflow artifact of one of our names that already holds exactly this bundle, as an upload
 * result; undefined when there is none or the service cannot be asked. For the post step: a
 * bundle main already uploaded counts as uploaded.
 */
export async function findExistingArtifact(
  request: UploadRequest,
): Promise<UploadResult | undefined> {
  const { env, reporter, settings } = request;
  const names = artifactNames(settings.artifact, env);
  try {
    return await withArtifactEnv(env, settings.stallTimeoutMs, async () => {
      const { artifacts } = await new DefaultArtifactClient().listArtifacts();
      const same = findSameBundle(artifacts, names.candidates, request.sha256);
      return same ? alreadyPresent(request, same) : undefined;
    });
  } catch (error) {
    reporter.debug(`Could not list this run's artifacts: ${errorMessage(error)}`);
    return undefined;
  }
}

/** This run's artifacts; none when the list fails (the conflict is then all we know). */
async function listQuietly(
  client: DefaultArtifactClient,
  request: UploadRequest,
): Promise<Artifact[]> {
  try {
    return (await client.listArtifacts()).artifacts;
  } catch (error) {
    request.reporter.debug(`Could not list this run's artifacts: ${errorMessage(error)}`);
    return [];
  }
}

function findSameBundle(
  artifacts: Artifact[],
  names: string[],
  sha256: string,
): Artifact | undefined {
  return artifacts.find(
    (artifact) => names.includes(artifact.name) && bareDigest(artifact.digest) === sha256,
  );
}

/** `overwrite: true`: the earlier artifact of this name in this run goes first. */
async function deleteEarlier(
  client: DefaultArtifactClient,
  name: string,
  request: UploadRequest,
): Promise<void> {
  try {
    const { id } = await client.deleteArtifact(name);
    request.reporter.info(`Deleted the earlier artifact '${name}' (id ${id}) to replace it`);
  } catch (error) {
    if (error instanceof Error && error.name === 'ArtifactNotFoundError') return;
    throw error;
  }
}

/** The archive under `name` in the staging directory, without touching the original. */
async function stageArchive(archivePath: string, staging: string, name: string): Promise<string> {
  const file = path.join(staging, name);
  await rm(file, { force: true });
  try {
    await link(archivePath, file);
  } catch {
    await copyFile(archivePath, file);
  }
  return file;
}

function uploaded(
  request: UploadRequest,
  name: string,
  id: number | undefined,
  digest: string | undefined,
): UploadResult {
  if (id === undefined) return failed(`the artifact service returned no id for '${name}'`);
  if (digest && digest !== request.sha256) {
    return failed(
      `the bytes uploaded as '${name}' have sha256 ${digest}, not the archive's ` +
        `${request.sha256} (was it changed during the upload?). The bundle is kept at ` +
        request.archivePath,
    );
  }
  request.reporter.info(`Uploaded workflow artifact '${name}' (id ${id})`);
  return result(request, name, id, request.sha256);
}

function alreadyPresent(request: UploadRequest, artifact: Artifact): UploadResult {
  request.reporter.info(
    `Workflow artifact '${artifact.name}' (id ${artifact.id}) already holds this bundle; ` +
      'not uploading it again',
  );
  return result(request, artifact.name, artifact.id, request.sha256);
}

function result(request: UploadRequest, name: string, id: number, sha256: string): UploadResult {
  const url = artifactUrl(request.env, id);
  const outputs: Record<string, string> = { 'artifact-id': String(id), 'artifact-digest': sha256 };
  if (url) outputs['artifact-url'] = url;
  return {
    destination: 'artifact',
    ok: true,
    location: url || `workflow artifact '${name}' (id ${id})`,
    outputs,
    notes: [`Workflow artifact: ${name}`],
  };
}

/** The run's artifact page; empty outside a run (no repository or run id to link to). */
export function artifactUrl(env: NodeJS.ProcessEnv, id: number): string {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return '';
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`;
}

/**
 * The library refuses any server but github.com and GHE.com (`*.ghe.com`) with a warning that
 * calls the error temporary; saying so first gives the user the real reason.
 */
function isEnterpriseServer(env: NodeJS.ProcessEnv): boolean {
  if (!env.GITHUB_SERVER_URL) return false;
  let host = '';
  try {
    host = new URL(env.GITHUB_SERVER_URL).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}

/** The service lists digests as `sha256:<hex>`; the library's upload answer is bare hex. */
function bareDigest(digest: string | undefined): string {
  return (digest ?? '').replace(/^sha256:/, '');
}

function failed(error: string): UploadResult {
  return { destination: 'artifact', ok: false, outputs: {}, error };
}
