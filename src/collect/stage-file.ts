import { createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Fingerprint } from '../pack/fingerprint.js';
import type { Redactor } from '../redact/scrubber.js';

/** What one staged file ended up as. */
export interface StagedFile {
  size: number;
  sha256: string;
  redactions: number;
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
): Promise<StagedFile> {
  const target = path.join(stagingDir, archivePath);
  await mkdir(path.dirname(target), { recursive: true });
  const counter = { redactions: 0 };
  const fingerprint = new Fingerprint();
  const output = createWriteStream(target);
  if (redactor) await pipeline(source, redactor.stream(counter), fingerprint, output);
  else await pipeline(source, fingerprint, output);
  return {
    size: fingerprint.size,
    sha256: fingerprint.hash.digest('hex'),
    redactions: counter.redactions,
  };
}

/** Stages generated content. */
export function stageContent(
  content: string | Buffer,
  stagingDir: string,
  archivePath: string,
  redactor: Redactor | null,
): Promise<StagedFile> {
  return stageStream(Readable.from([Buffer.from(content)]), stagingDir, archivePath, redactor);
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
  const handle = await open(file, 'r');
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
): Promise<StagedFile & CopyPlan> {
  const handle = await open(file, 'r');
  try {
    const snapshotSize = (await handle.stat()).size;
    const truncated = snapshotSize > maxBytes;
    const headBytes = truncated ? Math.floor(maxBytes / 2) : snapshotSize;
    const tailBytes = truncated ? maxBytes - headBytes : 0;
    const cutBytes = snapshotSize - headBytes - tailBytes;

    const source = Readable.from(
      (async function* () {
        yield* rangeOf(handle, 0, headBytes);
        if (!truncated) return;
        yield Buffer.from(`\n[... k98-diagnostics: ${cutBytes} bytes cut from the middle ...]\n`);
        yield* rangeOf(handle, snapshotSize - tailBytes, snapshotSize);
      })(),
    );
    const staged = await stageStream(source, stagingDir, archivePath, redactor);
    return { ...staged, snapshotSize, truncated, cutBytes };
  } finally {
    await handle.close();
  }
}

async function* rangeOf(
  handle: import('node:fs/promises').FileHandle,
  start: number,
  end: number,
): AsyncGenerator<Buffer> {
  const blockSize = 1024 * 1024;
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
