import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { INPUT_DEFAULTS, type InputName } from '../../src/inputs/definitions.js';
import { readUploadSettings } from '../../src/inputs/upload.js';
import type { Reporter } from '../../src/report/reporter.js';
import type { UploadRequest } from '../../src/upload/types.js';
import { tempDir } from './action.js';

export interface TestArchive {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/** A file of random bytes named like a bundle: uploaders never look inside. */
export function randomArchive(size: number, name = 'k98-diagnostics-test.tar.gz'): TestArchive {
  const file = path.join(tempDir('k98-archive-'), name);
  const bytes = randomBytes(size);
  writeFileSync(file, bytes);
  return { path: file, name, size, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * What the pipeline hands an uploader, with the upload settings read by the real input code
 * from action inputs (by their action.yml names) and an environment.
 */
export function uploadRequest(
  archive: TestArchive,
  reporter: Reporter,
  inputs: Partial<Record<InputName, string>> = {},
  env: NodeJS.ProcessEnv = {},
): UploadRequest {
  const get = (name: InputName): string => inputs[name] ?? INPUT_DEFAULTS[name];
  return {
    archivePath: archive.path,
    archiveName: archive.name,
    sha256: archive.sha256,
    size: archive.size,
    settings: readUploadSettings(get, env),
    reporter,
    env,
  };
}
