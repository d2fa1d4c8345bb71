import type { Redactor } from './scrubber.js';

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

  constructor(
    private readonly redactor: Redactor,
    private readonly write: (text: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    const text = this.partial + chunk.toString('latin1');
    const lastNewline = text.lastIndexOf('\n');
    this.partial = text.slice(lastNewline + 1);
    if (lastNewline >= 0) this.emit(text.slice(0, lastNewline + 1));
    // A very long line without a break is written anyway, scrubbed as it is.
    if (this.partial.length > 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
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
