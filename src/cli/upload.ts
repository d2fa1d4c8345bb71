import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

import { InputError } from '../errors.js';
import type { InputName } from '../inputs/definitions.js';
import { readUploadSettings } from '../inputs/upload.js';
import { INPUT_DEFAULTS } from '../inputs/definitions.js';
import { consoleReporter } from '../report/console-reporter.js';
import { uploadExistingArchive, uploadsFailed } from '../upload/index.js';
import { flagsToInputs } from './options.js';

/** `k98-diagnostics upload FILE`: sends an existing archive to the configured destinations. */
export async function runUpload(file: string, flags: Record<string, unknown>): Promise<void> {
  const archivePath = path.resolve(file);
  if (!existsSync(archivePath) || !statSync(archivePath).isFile()) {
    throw new InputError('FILE', file, 'give the path of an existing .tar.gz archive');
  }
  if (!startsAsGzip(archivePath)) {
    // Most likely a log given by mistake: it would go up whole, never scrubbed.
    throw new InputError(
      'FILE',
      file,
      'this is not a gzip file; give a .tar.gz made by `k98-diagnostics collect`, which ' +
        'scrubs what it packs',
    );
  }
  const raw: Partial<Record<InputName, string>> = {
    ...flagsToInputs(flags),
    upload: String(flags.uploadTo ?? 'auto'),
  };
  const env = process.env;
  const settings = readUploadSettings((name) => raw[name]?.trim() || INPUT_DEFAULTS[name], env);
  if (settings.destinations.length === 0) {
    throw new InputError(
      'destination',
      '',
      'nothing to upload to: give --s3-bucket or --artifact-url (or set DIAGNOSTICS_S3_BUCKET ' +
        'or ARTIFACT_UPLOAD_URL)',
    );
  }

  const reporter = consoleReporter();
  for (const secret of [settings.http.token]) if (secret) reporter.setSecret(secret);
  const results = await uploadExistingArchive(archivePath, settings, reporter, env);
  if (uploadsFailed(results, settings.explicit || results.length === 1)) {
    reporter.error(`The archive is still at ${archivePath}`);
    process.exitCode = 1;
  }
}

/** Whether the file begins with gzip's two magic bytes. */
function startsAsGzip(file: string): boolean {
  const magic = Buffer.alloc(2);
  const descriptor = openSync(file, 'r');
  try {
    return readSync(descriptor, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(descriptor);
  }
}
