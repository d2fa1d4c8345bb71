import { createWriteStream } from 'node:fs';
import { mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Fingerprint } from '../pack/fingerprint.js';
import { GZIP_BLOCK_BYTES, ParallelGzip } from '../pack/parallel-gzip.js';
import type { Redactor } from '../redact/scrubber.js';
import { openRegularFile } from './open-regular.js';

/** What one staged file ended up as. */
export interface StagedFile {
  /** The content's size and digest (before compression, when it was gzipped). */
  size: number;
  sha256: string;
  redactions: number;
  /** The staged file holds gzip members of the content, ready for the archive. */
  gzipped?: boolean;
}

/** How a file is staged, beyond the defaults. */
export interface StageOptions {
  /** A step after the scrubbing (the excerpts' line cutter). */
  afterScrub?: Transform;
  /** Compress the staged file at this level (see StagedFile.gzipped). */
  gzipLevel?: number;
  /** Scrubs elsewhere (the scrubbing thread) instead of with `redactor.stream()`. */
  scrubStream?: (counter: { redactions: number }) => Transform;
}

/**
 * Writes `source` into the staging directory at `archivePath`, redacting on the way unless
 * `redactor` is null (binary files kept as they are).
 */
export async function stageStream(
  source: Readable,
  stagingDir: string,
  archivePath: string,
  redactor: Redactor | null,
  options: StageOptions = {},
): Promise<StagedFile> {
  const { afterScrub, gzipLevel, scrubStream } = options;
  const target = path.join(stagingDir, archivePath);
  await mkdir(path.dirname(target), { recursive: true });
  const counter = { redactions: 0 };
  const fingerprint = new Fingerprint();
  const output = createWriteStream(target, { flags: 'wx' });
  const steps: Transform[] = [];
  if (redactor) steps.push(scrubStream ? scrubStream(counter) : redactor.stream(counter));
  if (afterScrub) steps.push(afterScrub);
  steps.push(fingerprint);
  // Two blocks in flight: compressing a block takes longer than scrubbing it, and with one
  // the copy waited for each block's compression (100 MiB of logs took 3.2 s, now 2.6 s).
  // Blocks of half the size keep the memory in flight where one block put it.
  if (gzipLevel !== undefined) {
    steps.push(new ParallelGzip(gzipLevel, 2, GZIP_BLOCK_BYTES / 2));
  }
  await pipeline([source, ...steps, output]);
  return {
    size: fingerprint.size,
    sha256: fingerprint.hash.digest('hex'),
    redactions: counter.redactions,
    ...(gzipLevel === undefined ? {} : { gzipped: true }),
  };
}

/** Stages generated content. */
export function stageContent(
  content: string | Buffer,
  stagingDir: string,
  archivePath: string,
  redactor: Redactor | null,
): Promise<StagedFile> {
  return stageStream(
    Readable.from(inBlocks(Buffer.from(content))),
    stagingDir,
    archivePath,
    redactor,
  );
}

/** Splits a buffer into 1 MiB blocks: the scrubber never works on more text than that. */
export function* inBlocks(bytes: Buffer, blockSize = 1024 * 1024): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += blockSize) {
    yield bytes.subarray(offset, offset + blockSize);
  }
}

/** How much of a file to copy: all of it, or its head and tail around a cut. */
export interface CopyPlan {
  /** The size when the file was opened: a log still growing is copied up to here. */
  snapshotSize: number;
  truncated: boolean;
  cutBytes: number;
}

/** Whether the first bytes hold a NUL: the file is binary and is not rewritten. */
export async function looksBinary(file: string | Buffer): Promise<boolean> {
  const handle = await openRegularFile(file);
  try {
    const sample = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    return sample.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

/**
 * Copies a file into the staging directory, bounded by `maxBytes`: a larger file keeps its
 * first and last halves with a marker between. The file is read only up to the size it had
 * when opened, so a log appended to meanwhile gives a consistent snapshot.
 */
export async function stageCopy(
  file: string | Buffer,
  stagingDir: string,
  archivePath: string,
  maxBytes: number,
  redactor: Redactor | null,
  options: StageOptions = {},
): Promise<StagedFile & CopyPlan> {
  const handle = await openRegularFile(file);
  try {
    const snapshotSize = (await handle.stat()).size;
    const truncated = snapshotSize > maxBytes;
    // Cut at line breaks, so no line (and no secret in it) is split in two; where no line
    // ends near the cut, at least not through anything the redactor would remove.
    let headBytes = snapshotSize;
    let tailStart = snapshotSize;
    if (truncated) {
      headBytes = await lineBoundaryBefore(handle, Math.floor(maxBytes / 2));
      tailStart = await lineBoundaryAfter(
        handle,
        snapshotSize - (maxBytes - Math.floor(maxBytes / 2)),
      );
      if (redactor) {
        headBytes = await clearOfSecrets(handle, headBytes, redactor, 'back');
        tailStart = await clearOfSecrets(handle, tailStart, redactor, 'forward');
      }
    }
    const tailBytes = snapshotSize - tailStart;
    const cutBytes = snapshotSize - headBytes - tailBytes;

    const source = Readable.from(
      (async function* () {
        yield* rangeOf(handle, 0, headBytes);
        if (!truncated) return;
        yield Buffer.from(`\n[... k98-diagnostics: ${cutBytes} bytes cut from the middle ...]\n`);
        yield* rangeOf(handle, snapshotSize - tailBytes, snapshotSize);
      })(),
      // Readable.from() reads ahead 16 items by default: 16 MiB of blocks waiting to be
      // scrubbed. One is enough to keep the reader a step ahead.
      { highWaterMark: 1 },
    );
    const staged = await stageStream(source, stagingDir, archivePath, redactor, options);
    return { ...staged, snapshotSize, truncated, cutBytes };
  } finally {
    await handle.close();
  }
}

const BOUNDARY_SEARCH = 64 * 1024;

/**
 * The end of the last whole line before `position` (searching back a little), else
 * `position`. Lines end at '\n' or '\r', so CR-only logs are cut at line breaks too.
 */
async function lineBoundaryBefore(handle: FileHandle, position: number): Promise<number> {
  const start = Math.max(0, position - BOUNDARY_SEARCH);
  const window = Buffer.alloc(position - start);
  const { bytesRead } = await handle.read(window, 0, window.length, start);
  const read = window.subarray(0, bytesRead);
  const lineEnd = Math.max(read.lastIndexOf(0x0a), read.lastIndexOf(0x0d));
  return lineEnd === -1 ? position : start + lineEnd + 1;
}

/** The start of the first whole line at or after `position` (searching on a little). */
async function lineBoundaryAfter(handle: FileHandle, position: number): Promise<number> {
  if (position === 0) return 0;
  const window = Buffer.alloc(BOUNDARY_SEARCH);
  const { bytesRead } = await handle.read(window, 0, window.length, position - 1);
  const read = window.subarray(0, bytesRead);
  const ends = [read.indexOf(0x0a), read.indexOf(0x0d)].filter((index) => index !== -1);
  return ends.length === 0 ? position : position - 1 + Math.min(...ends) + 1;
}

/** Moves a cut at `position` off any match of the redactor around it (see clearCut). */
async function clearOfSecrets(
  handle: FileHandle,
  position: number,
  redactor: Redactor,
  direction: 'back' | 'forward',
): Promise<number> {
  const start = Math.max(0, position - redactor.overlap);
  const window = Buffer.alloc(redactor.overlap * 2);
  const { bytesRead } = await handle.read(window, 0, window.length, start);
  const text = window.toString('latin1', 0, bytesRead);
  return start + redactor.clearCut(text, position - start, direction);
}

/**
 * Reads `start`..`end` in blocks. Each block becomes one window of the scrubber, a string of
 * its size: 512 KiB windows took 8 MB off a bundle's peak memory against 1 MiB ones, for
 * about 3 % (1 GiB) to 8 % (100 MiB) more time. (256 KiB ones, on the scrubbing thread, took
 * 4 MB more off at 1 GiB but made it about 10 % slower.)
 */
async function* rangeOf(handle: FileHandle, start: number, end: number): AsyncGenerator<Buffer> {
  const blockSize = 512 * 1024;
  let position = start;
  while (position < end) {
    const block = Buffer.allocUnsafe(Math.min(blockSize, end - position));
    const { bytesRead } = await handle.read(block, 0, block.length, position);
    // The file shrank while we read it: what was read is the snapshot.
    if (bytesRead === 0) return;
    position += bytesRead;
    yield block.subarray(0, bytesRead);
  }
}
