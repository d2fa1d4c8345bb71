import { Transform, type TransformCallback } from 'node:stream';

import { ownBuffer, type ScrubReply, type ScrubRequest } from './scrub-protocol.js';

export type Counter = { redactions: number };

/**
 * The scrubbing half of a file's pipeline, done on the thread: each chunk is handed over
 * (transferred, not copied) and its scrubbed bytes come back in order. One chunk is scrubbed
 * there while the next is read here; no more are in flight, so memory stays put.
 */
export class ThreadScrub extends Transform {
  private previous: Promise<ScrubReply> | null = null;
  private ended = false;

  constructor(
    private readonly stream: number,
    private readonly counter: Counter,
    private readonly send: (request: ScrubRequest) => Promise<ScrubReply>,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const previous = this.previous;
    this.previous = this.send({ stream: this.stream, bytes: ownBuffer(chunk) });
    // Its failure is reported when it is awaited, below or in _flush.
    this.previous.catch(() => undefined);
    if (!previous) {
      done();
      return;
    }
    previous.then((reply) => done(null, this.scrubbed(reply)), done);
  }

  override _flush(done: TransformCallback): void {
    this.ended = true;
    const previous = this.previous ?? Promise.resolve(null);
    previous
      .then((reply) => {
        const bytes = reply ? this.scrubbed(reply) : undefined;
        if (bytes) this.push(bytes);
        return this.send({ stream: this.stream, end: true });
      })
      .then((reply) => done(null, this.scrubbed(reply)), done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    // Abandoned half way (the copy failed): the thread forgets what it held of this file.
    if (!this.ended) this.send({ stream: this.stream, drop: true }).catch(() => undefined);
    done(error);
  }

  private scrubbed(reply: ScrubReply): Buffer | undefined {
    this.counter.redactions += reply.redactions;
    const bytes = reply.bytes;
    return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
  }
}
