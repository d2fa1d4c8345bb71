import { Transform, type TransformCallback } from 'node:stream';

const NEWLINE = 0x0a;

/**
 * Cuts every line longer than `maxLineBytes`, keeping its start and a marker. It runs after
 * scrubbing, so a cut can never split a secret the scrubber would have recognised whole.
 */
export class LineCutter extends Transform {
  private lineLength = 0;
  private cutting = false;

  constructor(private readonly maxLineBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const out: Buffer[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      const piece = chunk.subarray(start, end);
      if (!this.cutting) {
        const room = this.maxLineBytes - this.lineLength;
        if (piece.length - (newline === -1 ? 0 : 1) > room) {
          out.push(piece.subarray(0, room), Buffer.from(' [... k98-diagnostics: line cut ...]'));
          this.cutting = true;
        } else {
          out.push(newline === -1 ? piece : piece);
        }
      }
      if (this.cutting && newline !== -1) out.push(Buffer.from('\n'));
      if (newline === -1) {
        this.lineLength += piece.length;
      } else {
        this.lineLength = 0;
        this.cutting = false;
      }
      start = end;
    }
    done(null, Buffer.concat(out));
  }
}
