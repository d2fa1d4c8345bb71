import os from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

/** Input bytes per gzip member: large enough that the ratio barely suffers. */
export const GZIP_BLOCK_BYTES = 1024 * 1024;

/**
 * zlib's output buffer per step. Its 16 KiB default costs a thread-pool round trip per 16 KiB
 * of output; a buffer that holds most of a compressed block in one step is much cheaper.
 */
export const ZLIB_CHUNK_BYTES = 64 * 1024;

/** Bytes that are gzip members already: ParallelGzip passes them on, in their place. */
export class Precompressed {
  constructor(readonly members: Buffer) {}
}

/**
 * gzip that uses every core: the input is cut into blocks, each compressed on libuv's thread
 * pool as an independent gzip member, and the members are written in order. Concatenated
 * members are one valid gzip stream (RFC 1952), read by gunzip and `tar -z` alike, which is
 * also why input that is gzip members already (Precompressed) can go out as it is. Memory is
 * bounded by the blocks in flight.
 */
export class ParallelGzip extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly inFlight: Array<Promise<Buffer>> = [];
  private readonly maxInFlight: number;
  private wroteAny = false;

  constructor(
    private readonly level: number,
    parallelism = Math.max(2, os.availableParallelism()),
    private readonly blockBytes = GZIP_BLOCK_BYTES,
  ) {
    // Written to with Buffers and Precompressed pieces: one piece waiting is enough (an
    // object-mode stream would otherwise take 16, each up to a block of data).
    super({ writableObjectMode: true, writableHighWaterMark: 1 });
    // One block per core: a spare one in flight kept the cores no busier here and cost memory.
    this.maxInFlight = parallelism;
  }

  override _transform(
    chunk: Buffer | Precompressed,
    _encoding: BufferEncoding,
    done: TransformCallback,
  ): void {
    if (chunk instanceof Precompressed) {
      this.passOn(chunk.members)
        .then(() => done())
        .catch(done);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.drainFullBlocks()
      .then(() => done())
      .catch(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.pendingBytes > 0 || !this.wroteAny) this.dispatch(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    this.writeAll()
      .then(() => done())
      .catch(done);
  }

  private async drainFullBlocks(): Promise<void> {
    if (this.pendingBytes < this.blockBytes) return;
    const joined = Buffer.concat(this.pending);
    let offset = 0;
    while (joined.length - offset >= this.blockBytes) {
      this.dispatch(joined.subarray(offset, offset + this.blockBytes));
      offset += this.blockBytes;
      // Backpressure: wait for the oldest block before starting more than the cores can take.
      while (this.inFlight.length >= this.maxInFlight) this.push(await this.inFlight.shift());
    }
    const rest = joined.subarray(offset);
    this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.pendingBytes = rest.length;
  }

  /** Ends the member being gathered, so members made elsewhere follow in order. */
  private async passOn(members: Buffer): Promise<void> {
    if (this.pendingBytes > 0) this.dispatch(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    await this.writeAll();
    this.wroteAny = true;
    this.push(members);
  }

  private dispatch(block: Buffer): void {
    this.wroteAny = true;
    this.inFlight.push(gzip(block, { level: this.level, chunkSize: ZLIB_CHUNK_BYTES }));
  }

  private async writeAll(): Promise<void> {
    while (this.inFlight.length > 0) this.push(await this.inFlight.shift());
  }
}
