import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { INPUT_DEFAULTS, type InputName } from '../../src/inputs/definitions.js';
import { readUploadSettings } from '../../src/inputs/upload.js';
import type { Reporter } from '../../src/report/reporter.js';
import type { UploadRequest } from '../../src/upload/types.js';
import { tempDir } from './action.js';

/**
 * An UploadRequest for an archive on disk, with settings read through the real input parser
 * from action inputs (by their action.yml names) and an environment.
 */
export function uploadRequest(
  archivePath: string,
  inputs: Partial<Record<InputName, string>>,
  env: NodeJS.ProcessEnv,
  reporter: Reporter,
): UploadRequest {
  const values: Record<string, string> = { ...INPUT_DEFAULTS, ...inputs };
  const settings = readUploadSettings((name) => values[name] ?? '', env);
  return {
    archivePath,
    archiveName: path.basename(archivePath),
    sha256: sha256OfFile(archivePath),
    size: statSync(archivePath).size,
    settings,
    reporter,
    env,
  };
}

/** sha256 of a file read in 1 MiB pieces, so a large test file does not raise peak memory. */
export function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  const fd = openSync(file, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export interface TestArchive {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/** A file of random bytes named like a bundle: uploaders never look inside. */
/** The two bytes every gzip file begins with. */
export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export function randomArchive(size: number, name = 'k98-diagnostics-test.tar.gz'): TestArchive {
  const file = path.join(tempDir('k98-archive-'), name);
  const bytes = randomBytes(size);
  // Random bytes that begin as gzip does, as `k98-diagnostics upload` checks.
  bytes.set(GZIP_MAGIC.subarray(0, size));
  writeFileSync(file, bytes);
  return { path: file, name, size, sha256: createHash('sha256').update(bytes).digest('hex') };
}
