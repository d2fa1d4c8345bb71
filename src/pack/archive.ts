import { EventEmitter, on } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { Parser, type ReadEntry } from 'tar';

import { Fingerprint } from './fingerprint.js';
import { GZIP_BLOCK_BYTES, ParallelGzip } from './parallel-gzip.js';
import { tarEntries, type PackEntry } from './tar-entries.js';
import { stallWatchdog } from './watchdog.js';

/** How long packing may go without writing a byte before it is abandoned. */
export const PACK_STALL_MS = 120_000;

export interface PackedArchive {
  sha256: string;
  size: number;
  /** What reading the archive back found: path -> size. */
  readBack: Map<string, number>;
}

/**
 * Packs files into one tar.gz while they are still being collected: each file is added as
 * soon as it is staged, so scrubbing and compressing overlap; a file staged already gzipped
 * (large ones, see ScrubThread and tar-entries.ts) goes in as it is. The compressed bytes are
 * hashed and also read back on the fly (gunzip + tar parse), so the check costs no second
 * pass over the archive. Memory stays bounded by the gzip blocks in flight.
 */
export class StreamingPacker {
  /** Emits 'entry' for each file added and 'end' once the last one is. */
  private readonly queue = new EventEmitter();
  private readonly tar: Readable;
  private readonly fingerprint = new Fingerprint();
  private readonly readBack = new Map<string, number>();
  private readonly done: Promise<void>;
  private readonly watchdog: ReturnType<typeof stallWatchdog>;
  private waitingForInput = false;
  private writeFailed = false;

  constructor(
    stagingDir: string,
    archivePath: string,
    compressionLevel: number,
    stallMs = PACK_STALL_MS,
  ) {
    const added = on(this.queue, 'entry', { close: ['end'] });
    const entries = (async function* () {
      for await (const [entry] of added) yield entry as PackEntry;
    })();
    // One piece read ahead: the gzip blocks in flight are the only buffering.
    this.tar = Readable.from(tarEntries(stagingDir, entries), { highWaterMark: 1 });
    this.watchdog = stallWatchdog('packing the archive', stallMs, () =>
      this.waitingForInput ? Date.now() : this.fingerprint.lastProgress,
    );

    // Output in blocks as large as the gzip blocks: each chunk is a round trip from the thread
    // pool and a parser call on the main thread, and 64 KiB chunks made 16 times as many.
    const gunzip = createGunzip({ chunkSize: GZIP_BLOCK_BYTES });
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        this.readBack.set(entry.path, entry.size);
        entry.resume();
      },
    });
    gunzip.on('data', (chunk: Buffer) => parser.write(chunk));
    const parsed = new Promise<void>((resolve, reject) => {
      gunzip.on('end', () => {
        parser.end();
        resolve();
      });
      gunzip.on('error', reject);
    });

    const written = pipeline(
      this.tar,
      new ParallelGzip(compressionLevel),
      this.fingerprint,
      new ReadBackTee(gunzip),
      // The path was reserved (created empty, exclusively) for this archive. Should a SIGKILL
      // stop the process before the end, the post step renames what is left (post.ts).
      createWriteStream(archivePath),
      { signal: this.watchdog.signal },
    );
    this.done = Promise.all([written, parsed]).then(() => undefined);
    // Reported by finish(); a rejection before then must not crash the process.
    this.done.catch(() => {
      this.writeFailed = true;
    });
  }

  /** Whether writing the archive itself failed (rather than staging a file for it). */
  get failed(): boolean {
    return this.writeFailed;
  }

  /** Stops packing after a failure elsewhere; finish() is not called then. */
  abort(): void {
    this.watchdog.stop();
    this.queue.emit('end');
    this.tar.destroy(new Error('packing was abandoned'));
  }

  /**
   * Collection is making the next file: the packer waiting for it is not stalled, however
   * long a big file takes to scrub. (Its output stalling meanwhile is noticed once the file
   * is added.)
   */
  waitForInput(waiting: boolean): void {
    this.waitingForInput = waiting;
    this.fingerprint.lastProgress = Date.now();
  }

  /**
   * Queues one staged file (a path relative to the staging directory); a gzipped one holds
   * gzip members of `size` bytes of content.
   */
  add(relativePath: string, gzipped?: { size: number }): void {
    this.fingerprint.lastProgress = Date.now();
    const entry: PackEntry = { relativePath, gzipped: gzipped !== undefined, size: gzipped?.size };
    this.queue.emit('entry', entry);
  }

  /** Ends the archive and waits until it is written, hashed and read back. */
  async finish(): Promise<PackedArchive> {
    this.fingerprint.lastProgress = Date.now();
    this.queue.emit('end');
    try {
      await this.done;
    } catch (error) {
      throw this.watchdog.signal.aborted ? this.watchdog.signal.reason : error;
    } finally {
      this.watchdog.stop();
    }
    return {
      sha256: this.fingerprint.hash.digest('hex'),
      size: this.fingerprint.size,
      readBack: this.readBack,
    };
  }
}

/** Passes bytes on while feeding a copy to the read-back check, at the pace of the slower. */
class ReadBackTee extends Transform {
  constructor(private readonly check: NodeJS.WritableStream) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.push(chunk);
    if (this.check.write(chunk)) done();
    else this.check.once('drain', () => done());
  }

  override _flush(done: TransformCallback): void {
    this.check.end();
    done();
  }
}

/** Packs a list of files at once (for callers that have them all). */
export async function packArchive(
  stagingDir: string,
  files: string[],
  archivePath: string,
  compressionLevel: number,
): Promise<PackedArchive> {
  const packer = new StreamingPacker(stagingDir, archivePath, compressionLevel);
  for (const file of files) packer.add(file);
  return packer.finish();
}
