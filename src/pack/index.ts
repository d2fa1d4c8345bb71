import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { StagedBundle } from '../collect/index.js';
import { stageContent } from '../collect/stage-file.js';
import type { Redactor } from '../redact/scrubber.js';
import { packArchive, PACK_STALL_MS } from './archive.js';
import { buildManifest, ERRORS_PATH, MANIFEST_PATH, writeManifest } from './manifest.js';
import type { BundleResult, ManifestRecord } from './manifest-types.js';
import { verifyArchive } from './verify.js';

/**
 * Seals the staged bundle: writes errors.txt and the manifest, packs the tar.gz and reads it
 * back. Throws when the archive cannot be made whole; the caller reports it.
 */
export async function sealBundle(
  staged: StagedBundle,
  archivePath: string,
  compressionLevel: number,
  redactor: Redactor,
): Promise<BundleResult> {
  const errorsText = staged.errors.length > 0 ? `${staged.errors.join('\n')}\n` : '';
  const errorsFile = await stageContent(errorsText, staged.stagingDir, ERRORS_PATH, redactor);
  const records: ManifestRecord[] = [
    ...staged.records,
    {
      path: ERRORS_PATH,
      kind: 'meta',
      source: null,
      source_size: null,
      archived_size: errorsFile.size,
      sha256: errorsFile.sha256,
      truncated: false,
      left_out: false,
      redactions: errorsFile.redactions,
      scrubbed: true,
    },
  ];
  const manifest = buildManifest(records);
  const manifestSize = await writeManifest(staged.stagingDir, manifest);

  const expected = new Map<string, number>();
  for (const record of records) {
    if (record.path) expected.set(record.path, record.archived_size ?? 0);
  }
  expected.set(MANIFEST_PATH, manifestSize);
  const files = [...expected.keys()];

  await mkdir(path.dirname(archivePath), { recursive: true });
  const packed = await packArchive(staged.stagingDir, files, archivePath, compressionLevel);
  await verifyArchive(archivePath, expected, PACK_STALL_MS);

  return {
    archivePath,
    sha256: packed.sha256,
    size: packed.size,
    entryCount: files.length,
    manifest,
    errors: staged.errors,
    stagingDir: staged.stagingDir,
  };
}
