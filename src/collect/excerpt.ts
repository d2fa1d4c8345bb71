import { REDACTED } from '../redact/patterns.js';
import { openRegularFile } from './open-regular.js';

/** Longest line kept whole in an excerpt; a longer one is cut with a marker. */
export const MAX_EXCERPT_LINE_BYTES = 16 * 1024;

const BLOCK = 64 * 1024;
const NEWLINE = 0x0a;

export interface Excerpt {
  /** Whole lines only, as they are (CRLF and invalid UTF-8 kept), not yet scrubbed or cut. */
  bytes: Buffer;
  /** Bytes read from the file: bounded by the lines asked for, never by the file's size. */
  bytesRead: number;
}

/** The most an excerpt of `lines` lines may read, also never more than `maxBytes`. */
export function excerptLimit(lines: number, maxBytes: number): number {
  return Math.min(lines * (MAX_EXCERPT_LINE_BYTES + 1), maxBytes);
}

/**
 * A marker that stands where a partial line was dropped at the read bound: a partial line
 * could hold the first half of a secret that the scrubber would then not recognise.
 */
const PARTIAL_LINE = Buffer.from(
  '[... k98-diagnostics: partial line at the read bound dropped ...]\n',
);

/** The first `lines` lines of a file, reading at most `maxBytes`. */
export async function readHead(
  path: string | Buffer,
  lines: number,
  maxBytes: number,
): Promise<Excerpt> {
  if (lines === 0) return { bytes: Buffer.alloc(0), bytesRead: 0 };
  const limit = excerptLimit(lines, maxBytes);
  const handle = await openRegularFile(path);
  try {
    const pieces: Buffer[] = [];
    let position = 0;
    let found = 0;
    let reachedEnd = false;
    while (position < limit) {
      const block = Buffer.alloc(Math.min(BLOCK, limit - position));
      const { bytesRead } = await handle.read(block, 0, block.length, position);
      if (bytesRead === 0) {
        reachedEnd = true;
        break;
      }
      let piece = block.subarray(0, bytesRead);
      position += bytesRead;
      let index = -1;
      while (found < lines && (index = piece.indexOf(NEWLINE, index + 1)) !== -1) found++;
      if (found === lines && index !== -1) piece = piece.subarray(0, index + 1);
      pieces.push(piece);
      if (found === lines) break;
    }
    const text = Buffer.concat(pieces);
    if (reachedEnd) return { bytes: text, bytesRead: position };
    if (found === lines) return { bytes: withoutCutKeyLine(text), bytesRead: position };
    // Stopped at the bound in the middle of a line: keep only whole lines.
    const lastNewline = text.lastIndexOf(NEWLINE);
    return {
      bytes: Buffer.concat([text.subarray(0, lastNewline + 1), PARTIAL_LINE]),
      bytesRead: position,
    };
  } finally {
    await handle.close();
  }
}

const KEY_BODY_OR_BEGIN =
  /^[ \t]*(?:[A-Za-z0-9+/]{60,76}={0,2}|-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----)[ \t]*\r?$/;
const SHORT_BASE64_LINE = /^[ \t]*[A-Za-z0-9+/]+={0,2}[ \t]*\r?$/;

/**
 * A head cut inside a private key block ends on a body line that may be shorter than the
 * others; with the END line beyond the cut nothing tells the scrubber it is key data (a full
 * body line is caught by its length). Such a last line, after a body or BEGIN line, is
 * replaced by the redaction mark here.
 */
function withoutCutKeyLine(text: Buffer): Buffer {
  const end = text.length - 1;
  const lastStart = text.lastIndexOf(NEWLINE, end - 1) + 1;
  if (lastStart === 0) return text;
  const previousStart = text.lastIndexOf(NEWLINE, lastStart - 2) + 1;
  const last = text.toString('latin1', lastStart, end);
  const previous = text.toString('latin1', previousStart, lastStart - 1);
  if (!SHORT_BASE64_LINE.test(last) || !KEY_BODY_OR_BEGIN.test(previous)) return text;
  return Buffer.concat([text.subarray(0, lastStart), Buffer.from(`${REDACTED}\n`)]);
}

/**
 * The last `lines` lines of a file, read by seeking backwards from the end: the cost depends
 * on the lines asked for (and `maxBytes`), not on the size of the file.
 */
export async function readTail(
  path: string | Buffer,
  lines: number,
  maxBytes: number,
): Promise<Excerpt> {
  if (lines === 0) return { bytes: Buffer.alloc(0), bytesRead: 0 };
  const limit = excerptLimit(lines, maxBytes);
  const handle = await openRegularFile(path);
  try {
    const size = (await handle.stat()).size;
    const pieces: Buffer[] = [];
    let end = size;
    let read = 0;
    let newlines = 0;
    while (end > 0 && read < limit) {
      const start = Math.max(0, end - BLOCK, size - limit);
      const block = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(block, 0, block.length, start);
      const piece = block.subarray(0, bytesRead);
      read += bytesRead;
      for (let index = piece.length - 1; index >= 0; index--) {
        // A final newline ends the last line; it does not start an empty one.
        if (piece[index] !== NEWLINE || start + index === size - 1) continue;
        newlines++;
        if (newlines === lines) {
          pieces.unshift(piece.subarray(index + 1));
          return { bytes: Buffer.concat(pieces), bytesRead: read };
        }
      }
      pieces.unshift(piece);
      end = start;
    }
    const text = Buffer.concat(pieces);
    if (end === 0) return { bytes: text, bytesRead: read };
    // Stopped at the bound in the middle of a line: keep only whole lines.
    const firstNewline = text.indexOf(NEWLINE);
    const whole = firstNewline === -1 ? Buffer.alloc(0) : text.subarray(firstNewline + 1);
    return { bytes: Buffer.concat([PARTIAL_LINE, whole]), bytesRead: read };
  } finally {
    await handle.close();
  }
}
