import type { StagedBundle } from '../collect/index.js';
import { stageContent } from '../collect/stage-file.js';
import type { Redactor } from '../redact/scrubber.js';
import type { StreamingPacker } from './archive.js';
import { buildManifest, ERRORS_PATH, MANIFEST_PATH, writeManifest } from './manifest.js';
import type { BundleResult, ManifestRecord } from './manifest-types.js';
import { checkReadBack } from './verify.js';

/**
 * Seals the bundle: writes errors.txt and the manifest, ends the archive and checks what was
 * read back against the manifest. Throws when the archive is not whole; the caller reports it.
 */
export async function sealBundle(
  staged: StagedBundle,
  packer: StreamingPacker,
  archivePath: string,
  redactor: Redactor,
): Promise<BundleResult> {
  const errorsText = staged.errors.length > 0 ? `${staged.errors.join('\n')}\n` : '';
  const errorsFile = await stageContent(errorsText, staged.stagingDir, ERRORS_PATH, redactor);
  packer.add(ERRORS_PATH);
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
  const manifestSize = await writeManifest(staged.stagingDir, manifest, (text) =>
    redactor.scrubText(text),
  );
  packer.add(MANIFEST_PATH);

  const expected = new Map<string, number>();
  for (const record of records) {
    if (record.path) expected.set(record.path, record.archived_size ?? 0);
  }
  expected.set(MANIFEST_PATH, manifestSize);
  const packed = await packer.finish();
  checkReadBack(packed.readBack, expected);

  return {
    archivePath,
    sha256: packed.sha256,
    size: packed.size,
    entryCount: expected.size,
    manifest,
    errors: staged.errors,
    stagingDir: staged.stagingDir,
  };
}
