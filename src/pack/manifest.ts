import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ACTION_VERSION } from '../version.js';
import type { Manifest, ManifestRecord } from './manifest-types.js';

export const MANIFEST_PATH = 'meta/manifest.json';
export const ERRORS_PATH = 'meta/errors.txt';

/** meta/manifest.json: every file entry, kept or left out; it does not list itself. */
export function buildManifest(records: ManifestRecord[], createdAt = new Date()): Manifest {
  return {
    format_version: 1,
    action_version: ACTION_VERSION,
    created_at: createdAt.toISOString(),
    entries: records,
  };
}

/**
 * Writes the manifest. Its text is scrubbed too: source paths and link targets are names
 * chosen by others and may hold a credential (archive paths were scrubbed already).
 */
export async function writeManifest(
  stagingDir: string,
  manifest: Manifest,
  scrub: (text: string) => string,
): Promise<number> {
  const text = scrub(`${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(stagingDir, MANIFEST_PATH), text);
  return Buffer.byteLength(text);
}
