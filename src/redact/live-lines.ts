import { WindowScrub, type Redactor } from './scrubber.js';

/** Longest line held until its line break; a longer one is let out in scrubbed pieces. */
const LONG_LINE = 64 * 1024;

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
/** What a line inside a key block looks like: base64, or a header such as Proc-Type. */
const KEY_LINE = /^\s*([A-Za-z0-9+/=]+|(Proc-Type|DEK-Info): .*)\s*$/;

/**
 * Scrubs a command's output on its way to the step log, a line at a time so the log stays
 * live. The runner masks registered secrets itself; this also catches credential shapes a
 * test prints (a bearer header, a token) and private key blocks spread over many lines.
 */
export class LiveLineScrubber {
  private partial = '';
  private insideKey = false;
  /** Set while a line too long to hold goes out in pieces, scrubbed as a stream. */
  private longLine: WindowScrub | null = null;

  constructor(
    private readonly redactor: Redactor,
    private readonly write: (text: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.longLine) {
      this.pushLongLine(chunk);
      return;
    }
    const text = this.partial + chunk.toString('latin1');
    const lastNewline = text.lastIndexOf('\n');
    this.partial = text.slice(lastNewline + 1);
    if (lastNewline >= 0) this.emit(text.slice(0, lastNewline + 1));
    // A very long line without a break goes out as it comes, but through a window that holds
    // back its end: a secret cut between two pieces is still caught whole.
    if (this.partial.length > LONG_LINE) {
      this.longLine = new WindowScrub(this.redactor);
      const started = Buffer.from(this.partial, 'latin1');
      this.partial = '';
      this.pushLongLine(started);
    }
  }

  flush(): void {
    if (this.longLine) this.endLongLine();
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }

  private pushLongLine(chunk: Buffer): void {
    const newline = chunk.indexOf(0x0a);
    const piece = newline >= 0 ? chunk.subarray(0, newline + 1) : chunk;
    const out = this.longLine?.push(piece);
    if (out) this.write(out);
    if (newline < 0) return;

    this.endLongLine();
    const rest = chunk.subarray(newline + 1);
    if (rest.length > 0) this.push(rest);
  }

  private endLongLine(): void {
    const out = this.longLine?.end();
    this.longLine = null;
    if (out) this.write(out);
  }

  private emit(text: string): void {
    const kept: string[] = [];
    for (const line of text.split(/(?<=\n)/)) {
      if (!this.insideKey && PEM_BEGIN.test(line) && !PEM_END.test(line)) {
        this.insideKey = true;
        kept.push('[REDACTED private key]\n');
      } else if (this.insideKey && (PEM_END.test(line) || !KEY_LINE.test(line))) {
        // The block ends at its END line, or at the first line that is not part of a key
        // (a lone BEGIN must not hide the rest of the log).
        this.insideKey = false;
        if (!PEM_END.test(line)) kept.push(line);
      } else if (!this.insideKey) {
        kept.push(line);
      }
    }
    this.write(Buffer.from(this.redactor.scrubLatin1(kept.join('')).text, 'latin1'));
  }
}
