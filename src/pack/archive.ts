import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

import { create } from 'tar';

import { Fingerprint } from './fingerprint.js';
import { ParallelGzip } from './parallel-gzip.js';
import { stallWatchdog } from './watchdog.js';

/** How long packing may go without writing a byte before it is abandoned. */
export const PACK_STALL_MS = 120_000;

export interface PackedArchive {
  sha256: string;
  size: number;
}

/**
 * Packs the staged files (paths relative to `stagingDir`, in the given order) as one tar.gz,
 * streamed: tar -> parallel gzip -> hash -> file. Memory does not grow with the logs' size.
 */
export async function packArchive(
  stagingDir: string,
  files: string[],
  archivePath: string,
  compressionLevel: number,
  stallMs = PACK_STALL_MS,
): Promise<PackedArchive> {
  const tarStream = create({ cwd: stagingDir, portable: true, noDirRecurse: true }, files);
  const fingerprint = new Fingerprint();
  const watchdog = stallWatchdog('packing the archive', stallMs, () => fingerprint.lastProgress);
  try {
    await pipeline(
      tarStream,
      new ParallelGzip(compressionLevel),
      fingerprint,
      createWriteStream(archivePath),
      { signal: watchdog.signal },
    );
  } catch (error) {
    throw watchdog.signal.aborted ? watchdog.signal.reason : error;
  } finally {
    watchdog.stop();
  }
  return { sha256: fingerprint.hash.digest('hex'), size: fingerprint.size };
}
