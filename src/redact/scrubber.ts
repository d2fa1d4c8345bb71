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
  /** The line patterns' regexes as their scans run them, compiled once. */
  private readonly lineRegexes = new Map<CredentialPattern, RegExp>();
  /** Bytes kept back between chunks: enough for the longest secret value too. */
  readonly overlap: number;

  /** What it was built from (the scrubbing thread builds its own from the same). */
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
    for (const pattern of this.patterns) {
      const { source, flags } = pattern.regex;
      // One line at a time for the line scan; sticky from a line start for the marker scan.
      if (pattern.lineLength) {
        this.lineRegexes.set(pattern, new RegExp(source, strip(flags, 'gmy')));
      } else if (pattern.nextLineHolds) {
        this.lineRegexes.set(pattern, new RegExp(source, `${strip(flags, 'gy')}y`));
      }
    }
  }

  /** Redacts latin1 text; returns the text and how many redactions were made. */
  scrubLatin1(text: string): { text: string; count: number } {
    let count = 0;
    for (const pattern of this.patterns) {
      const lineRegex = this.lineRegexes.get(pattern);
      const lines = lineRegex ? scrubByLines(text, pattern, lineRegex) : null;
      if (lines) {
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
      for (const pattern of this.patterns) {
        for (const [start, end] of this.spans(pattern, text)) {
          if (start < cut && end > cut) {
            cut = direction === 'back' ? start : end;
            moved = true;
          }
        }
      }
    }
    return cut;
  }

  /**
   * Where each match of `pattern` in `text` starts and ends, found by the scan the scrub
   * uses: a line pattern's regex tried at every position costs several times more.
   */
  private *spans(pattern: CredentialPattern, text: string): Generator<[number, number]> {
    const lineRegex = this.lineRegexes.get(pattern);
    if (lineRegex && pattern.lineLength) {
      yield* lineSpans(text, lineRegex, pattern.lineLength);
    } else if (lineRegex && pattern.nextLineHolds) {
      for (const { start, match } of markedMatches(text, lineRegex, pattern.nextLineHolds)) {
        yield [start, start + match[0].length];
      }
    } else {
      pattern.regex.lastIndex = 0;
      for (const match of text.matchAll(pattern.regex)) {
        yield [match.index, match.index + match[0].length];
      }
    }
  }

  /** A stream that redacts what passes through it, counting into `counter`. */
  stream(counter: { redactions: number }, overlap = this.overlap): Transform {
    return new ScrubStream(this, counter, overlap);
  }
}

/**
 * Scrubs a stream of bytes window by window: each chunk joins what was held back, and all
 * but the last `overlap` bytes (moved back off any match crossing the cut) are scrubbed and
 * let out. The main thread's ScrubStream and the scrubbing thread both work through this.
 */
export class WindowScrub {
  private pending = '';
  /** Redactions made since the last takeRedactions(). */
  private redactions = 0;

  constructor(
    private readonly redactor: Redactor,
    private readonly overlap = redactor.overlap,
  ) {}

  /** The scrubbed bytes that can go out once `chunk` is in, or null while all is held. */
  push(chunk: Buffer): Buffer | null {
    const scrubbed: string[] = [];
    for (let offset = 0; offset < chunk.length; offset += WINDOW_STEP) {
      const end = Math.min(chunk.length, offset + WINDOW_STEP);
      const text = this.take(chunk.toString('latin1', offset, end));
      if (text) scrubbed.push(text);
    }
    return latin1Bytes(scrubbed);
  }

  /** The rest, scrubbed, at the end of the stream. */
  end(): Buffer | null {
    const rest = this.pending;
    this.pending = '';
    return rest ? latin1Bytes([this.scrub(rest)]) : null;
  }

  takeRedactions(): number {
    const count = this.redactions;
    this.redactions = 0;
    return count;
  }

  /** Adds `text` to what is held back; returns what can go out then, scrubbed, if anything. */
  private take(text: string): string | null {
    const window = this.pending + text;
    if (window.length <= this.overlap * 2) {
      this.pending = window;
      return null;
    }
    const cut = this.redactor.safeCut(window, this.overlap);
    this.pending = window.slice(cut);
    return this.scrub(window.slice(0, cut));
  }

  private scrub(text: string): string {
    const scrubbed = this.redactor.scrubLatin1(text);
    this.redactions += scrubbed.count;
    return scrubbed.text;
  }
}

/**
 * How much of a chunk joins a window at a time. With the 16 KiB held back, a window stays
 * under 128 KiB, V8's limit for ordinary heap objects: a larger string gets pages of its own,
 * fresh from the kernel and given back once collected, and every string a window makes (the
 * text, each pattern's replacement) paid for its pages again. Windows of 512 KiB cost 140,000
 * page faults per 100 MiB of logs against 43,000 with these, and 10 % more time.
 */
export const WINDOW_STEP = 96 * 1024;

/** The texts, one latin1 byte per character, in one buffer; null when there is nothing. */
function latin1Bytes(texts: string[]): Buffer | null {
  let total = 0;
  for (const text of texts) total += text.length;
  if (total === 0) return null;
  const bytes = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const text of texts) offset += bytes.write(text, offset, 'latin1');
  return bytes;
}

class ScrubStream extends Transform {
  private readonly windows: WindowScrub;

  constructor(
    redactor: Redactor,
    private readonly counter: { redactions: number },
    overlap: number,
  ) {
    super();
    this.windows = new WindowScrub(redactor, overlap);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.let(this.windows.push(chunk));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.let(this.windows.end());
    done();
  }

  private let(scrubbed: Buffer | null): void {
    this.counter.redactions += this.windows.takeRedactions();
    if (scrubbed) this.push(scrubbed);
  }
}

/** Runs a line pattern by its cheap scan, with `lineRegex` compiled for that scan. */
function scrubByLines(text: string, pattern: CredentialPattern, lineRegex: RegExp) {
  if (pattern.lineLength) return redactLines(text, lineRegex, pattern.lineLength);
  if (pattern.nextLineHolds) {
    return redactLinesBefore(text, pattern, lineRegex, pattern.nextLineHolds);
  }
  return null;
}

function strip(flags: string, remove: string): string {
  return [...flags].filter((flag) => !remove.includes(flag)).join('');
}

/**
 * Replaces the part of each line that `test` (anchored with ^ and $, not global) matches,
 * spaces and tabs around it left in place.
 */
function redactLines(
  text: string,
  test: RegExp,
  range: { min: number; max: number },
): { text: string; count: number } {
  let scrubbed = '';
  let copied = 0;
  let count = 0;
  for (const [first, last] of lineSpans(text, test, range)) {
    scrubbed += `${text.slice(copied, first)}${REDACTED}`;
    copied = last;
    count++;
  }
  return count === 0 ? { text, count } : { text: scrubbed + text.slice(copied), count };
}

/**
 * The lines `test` matches, without the spaces and tabs around them. Lines end at '\n' or
 * '\r', as they do for the m flag; only those whose length without those spaces is in
 * `range` are tested.
 */
function* lineSpans(
  text: string,
  test: RegExp,
  range: { min: number; max: number },
): Generator<[number, number]> {
  let nextLf = text.indexOf('\n');
  let nextCr = text.indexOf('\r');
  for (let start = 0; start <= text.length;) {
    if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf('\n', start);
    if (nextCr !== -1 && nextCr < start) nextCr = text.indexOf('\r', start);
    const end = Math.min(
      nextLf === -1 ? text.length : nextLf,
      nextCr === -1 ? text.length : nextCr,
    );

    let first = start;
    let last = end;
    if (last - first >= range.min) {
      // Most lines neither start nor end with a blank (a log line starts with a digit): for
      // those, two character reads and no loop.
      if (text.charCodeAt(first) <= SPACE || text.charCodeAt(last - 1) <= SPACE) {
        while (first < last && isBlank(text.charCodeAt(first))) first++;
        while (last > first && isBlank(text.charCodeAt(last - 1))) last--;
      }
      const length = last - first;
      if (length >= range.min && length <= range.max && test.test(text.slice(first, last))) {
        yield [first, last];
      }
    }
    start = end + 1;
  }
}

/**
 * Runs `sticky` (the pattern's `^…` regex, m and y flags) only from the start of the line
 * before each line that holds `marker`: a search for a literal is far cheaper
 * than trying the regex at every position of the text.
 */
function redactLinesBefore(
  text: string,
  pattern: CredentialPattern,
  sticky: RegExp,
  marker: string,
): { text: string; count: number } {
  let scrubbed = '';
  let copied = 0;
  let count = 0;
  for (const { start, match } of markedMatches(text, sticky, marker)) {
    const before = pattern.keep ? (match[pattern.keep] ?? '') : '';
    const after = pattern.keepAfter ? (match[pattern.keepAfter] ?? '') : '';
    scrubbed += `${text.slice(copied, start)}${before}${REDACTED}${after}`;
    copied = start + match[0].length;
    count++;
  }
  return count === 0 ? { text, count } : { text: scrubbed + text.slice(copied), count };
}

/** The matches of `sticky` that start on the line before a line holding `marker`. */
function* markedMatches(
  text: string,
  sticky: RegExp,
  marker: string,
): Generator<{ start: number; match: RegExpExecArray }> {
  // Line breaks are looked for back to the end of the previous marker only, so no part of
  // the text is walked twice, however many markers a hostile file holds.
  let floor = 0;
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) {
    const start = previousLineStart(text, at, floor);
    floor = at + marker.length;
    if (start === -1) continue;

    sticky.lastIndex = start;
    const match = sticky.exec(text);
    if (match) yield { start, match };
  }
}

/**
 * Where the line before the line holding `at` starts (a line break is '\r\n', '\n' or '\r'),
 * or -1 when that is not found after `floor`: the line holding `at` is the first one, or
 * one of the two lines also holds the previous marker (already looked at, or no key line).
 */
function previousLineStart(text: string, at: number, floor: number): number {
  let lineBreak = lastBreak(text, at, floor);
  if (lineBreak === -1) return -1;
  if (text.charCodeAt(lineBreak) === LF && text.charCodeAt(lineBreak - 1) === CR) lineBreak--;
  const before = lastBreak(text, lineBreak, floor);
  if (before !== -1) return before + 1;
  return floor === 0 ? 0 : -1;
}

/** The last '\n' or '\r' before `end` and at or after `floor`, or -1. */
function lastBreak(text: string, end: number, floor: number): number {
  for (let index = end - 1; index >= floor; index--) {
    const code = text.charCodeAt(index);
    if (code === LF || code === CR) return index;
  }
  return -1;
}

const TAB = 9;
const SPACE = 32;
const LF = 10;
const CR = 13;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
