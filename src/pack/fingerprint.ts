import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Counts and hashes bytes on their way through, so records describe exactly what was written. */
export class Fingerprint extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  lastProgress = Date.now();

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.lastProgress = Date.now();
    done(null, chunk);
  }
}
