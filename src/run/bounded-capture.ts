import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a command's output to a file without letting it grow past a bound: the first half of
 * the bound goes straight to disk, the last half is kept in memory as a rolling tail and
 * appended at the end behind a marker saying how much was cut.
 */
export class BoundedCapture {
  private readonly fd: number;
  private written = 0;
  private tail: Buffer[] = [];
  private tailLength = 0;
  private dropped = 0;

  constructor(
    readonly file: string,
    private readonly headLimit: number,
    private readonly tailLimit: number,
  ) {
    this.fd = openSync(file, 'w');
  }

  write(chunk: Buffer): void {
    const roomInHead = Math.max(0, this.headLimit - this.written);
    if (roomInHead > 0) {
      const head = chunk.subarray(0, roomInHead);
      writeSync(this.fd, head);
      this.written += head.length;
      chunk = chunk.subarray(head.length);
    }
    if (chunk.length === 0) return;

    this.tail.push(Buffer.from(chunk));
    this.tailLength += chunk.length;
    while (this.tailLength > this.tailLimit && this.tail.length > 0) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailLength - this.tailLimit;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLength -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailLength -= excess;
        this.dropped += excess;
      }
    }
  }

  /** Flushes the tail and closes the file; returns how many bytes were cut. */
  close(): number {
    if (this.dropped > 0) {
      writeSync(this.fd, `\n[... k98-diagnostics: ${this.dropped} bytes of output cut ...]\n`);
    }
    for (const piece of this.tail) writeSync(this.fd, piece);
    closeSync(this.fd);
    return this.dropped;
  }
}
