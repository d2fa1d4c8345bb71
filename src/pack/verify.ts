import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { Parser, type ReadEntry } from 'tar';

import { stallWatchdog } from './watchdog.js';

/**
 * Reads the archive back and checks that it holds exactly the expected files with the
 * expected sizes: a partial or corrupt archive is never uploaded.
 */
export async function verifyArchive(
  archivePath: string,
  expected: Map<string, number>,
  stallMs: number,
): Promise<void> {
  const found = new Map<string, number>();
  let lastProgress = Date.now();
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      lastProgress = Date.now();
      found.set(entry.path, entry.size);
      entry.resume();
    },
  });
  const watchdog = stallWatchdog('checking the archive', stallMs, () => lastProgress);
  try {
    await pipeline(createReadStream(archivePath), createGunzip(), parser, {
      signal: watchdog.signal,
    });
  } catch (error) {
    throw watchdog.signal.aborted ? watchdog.signal.reason : error;
  } finally {
    watchdog.stop();
  }

  const problems: string[] = [];
  for (const [name, size] of expected) {
    const actual = found.get(name);
    if (actual === undefined) problems.push(`${name} is missing`);
    else if (actual !== size) problems.push(`${name} has ${actual} bytes, expected ${size}`);
  }
  for (const name of found.keys()) {
    if (!expected.has(name)) problems.push(`${name} was not expected`);
  }
  if (problems.length > 0) {
    throw new Error(`the archive does not match its manifest: ${problems.slice(0, 5).join('; ')}`);
  }
}
