import { Transform, type TransformCallback } from 'node:stream';

import {
  CREDENTIAL_PATTERNS,
  isHarmlessAssignment,
  REDACTED,
  type CredentialPattern,
} from './patterns.js';

/**
 * Bytes kept back between chunks so a secret that straddles a chunk boundary is still seen
 * whole: larger than a 4096-bit PEM private key (about 3.3 KiB).
 */
export const SCRUB_OVERLAP = 16 * 1024;

/** What to remove from text: exact secret values plus credential shapes. */
export class Redactor {
  private readonly patterns: CredentialPattern[];
  /** Bytes kept back between chunks: enough for the longest secret value too. */
  readonly overlap: number;

  /** What it was built from (a staging thread builds its own from the same). */
  constructor(
    readonly secretValues: string[],
    readonly userPatterns: RegExp[] = [],
  ) {
    const values = secretValues.map((value) => Buffer.from(value, 'utf8').toString('latin1'));
    this.patterns = [];
    const longest = Math.max(0, ...values.map((value) => value.length));
    this.overlap = Math.max(SCRUB_OVERLAP, longest + 1024);
    if (values.length > 0) {
      const alternation = values.map(escapeRegExp).join('|');
      this.patterns.push({ name: 'secret-value', regex: new RegExp(alternation, 'g') });
    }
    this.patterns.push(...CREDENTIAL_PATTERNS);
    for (const pattern of userPatterns) {
      const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
      this.patterns.push({ name: 'user', regex: new RegExp(pattern.source, flags) });
    }
  }

  /** Redacts latin1 text; returns the text and how many redactions were made. */
  scrubLatin1(text: string): { text: string; count: number } {
    let count = 0;
    for (const pattern of this.patterns) {
      if (pattern.lineLength) {
        const lines = redactLines(text, pattern.regex, pattern.lineLength);
        text = lines.text;
        count += lines.count;
        continue;
      }
      pattern.regex.lastIndex = 0;
      text = text.replace(pattern.regex, (...match: unknown[]) => {
        const groups = match as string[];
        const whole = groups[0] as string;
        if (pattern.name === 'assignment' && isHarmlessAssignment(groups[2] ?? '')) return whole;
        count++;
        const before = pattern.keep ? (groups[pattern.keep] ?? '') : '';
        const after = pattern.keepAfter ? (groups[pattern.keepAfter] ?? '') : '';
        return `${before}${REDACTED}${after}`;
      });
    }
    return { text, count };
  }

  /** Redacts a JavaScript string (UTF-8 in, UTF-8 out). */
  scrubText(text: string): string {
    const latin1 = Buffer.from(text, 'utf8').toString('latin1');
    return Buffer.from(this.scrubLatin1(latin1).text, 'latin1').toString('utf8');
  }

  /**
   * Where a window can be cut so that no match straddles the cut: starts at `overlap` bytes
   * before the end and moves back before any match that crosses it.
   */
  safeCut(window: string, overlap: number): number {
    const cut = window.length - overlap;
    if (cut <= 0) return 0;
    const regionStart = Math.max(0, cut - overlap);
    const moved = regionStart + this.clearCut(window.slice(regionStart), cut - regionStart, 'back');
    return moved > regionStart ? moved : cut;
  }

  /**
   * Moves a cut at `cut` in `text` so that no match straddles it: back to the start of such a
   * match, or forward past its end. Two halves of a secret match nothing, so a cut through
   * one would let both through.
   */
  clearCut(text: string, cut: number, direction: 'back' | 'forward'): number {
    let moved = true;
    while (moved) {
      moved = false;
      for (const { regex } of this.patterns) {
        regex.lastIndex = 0;
        for (const match of text.matchAll(regex)) {
          const start = match.index;
          const end = start + match[0].length;
          if (start < cut && end > cut) {
            cut = direction === 'back' ? start : end;
            moved = true;
          }
        }
      }
    }
    return cut;
  }

  /** A stream that redacts what passes through it, counting into `counter`. */
  stream(counter: { redactions: number }, overlap = this.overlap): Transform {
    return new ScrubStream(this, counter, overlap);
  }
}

class ScrubStream extends Transform {
  private pending = '';

  constructor(
    private readonly redactor: Redactor,
    private readonly counter: { redactions: number },
    private readonly overlap: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const window = this.pending + chunk.toString('latin1');
    if (window.length <= this.overlap * 2) {
      this.pending = window;
      done();
      return;
    }
    const cut = this.redactor.safeCut(window, this.overlap);
    this.pending = window.slice(cut);
    this.emit_(window.slice(0, cut));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.emit_(this.pending);
    this.pending = '';
    done();
  }

  private emit_(text: string): void {
    if (!text) return;
    const scrubbed = this.redactor.scrubLatin1(text);
    this.counter.redactions += scrubbed.count;
    this.push(Buffer.from(scrubbed.text, 'latin1'));
  }
}

/**
 * Replaces each whole line that `lineRegex` (anchored with ^ and $) matches. Lines end at
 * '\n' or '\r', as they do for the m flag; only those of a length in `range` are tested.
 */
function redactLines(
  text: string,
  lineRegex: RegExp,
  range: { min: number; max: number },
): { text: string; count: number } {
  const test = new RegExp(lineRegex.source, lineRegex.flags.replace(/[gmy]/g, ''));
  let scrubbed = '';
  let copied = 0;
  let count = 0;
  let nextLf = text.indexOf('\n');
  let nextCr = text.indexOf('\r');
  for (let start = 0; start <= text.length;) {
    if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
    if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
    const end = Math.min(
      nextLf === -1 ? text.length : nextLf,
      nextCr === -1 ? text.length : nextCr,
    );
    const length = end - start;
    if (length >= range.min && length <= range.max && test.test(text.slice(start, end))) {
      scrubbed += `${text.slice(copied, start)}${REDACTED}`;
      copied = end;
      count++;
    }
    start = end + 1;
  }
  return count === 0 ? { text, count } : { text: scrubbed + text.slice(copied), count };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
