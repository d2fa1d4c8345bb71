import { open } from 'node:fs/promises';

/** Longest line kept whole in an excerpt; a longer one is cut with a marker. */
export const MAX_EXCERPT_LINE_BYTES = 16 * 1024;

const BLOCK = 64 * 1024;
const NEWLINE = 0x0a;

export interface Excerpt {
  bytes: Buffer;
  /** Bytes read from the file: bounded by the lines asked for, never by the file's size. */
  bytesRead: number;
}

/** The first `lines` lines of a file, bytes as they are (CRLF and invalid UTF-8 kept). */
export async function readHead(path: string | Buffer, lines: number): Promise<Excerpt> {
  if (lines === 0) return { bytes: Buffer.alloc(0), bytesRead: 0 };
  const limit = lines * (MAX_EXCERPT_LINE_BYTES + 1);
  const handle = await open(path, 'r');
  try {
    const pieces: Buffer[] = [];
    let position = 0;
    let found = 0;
    while (position < limit) {
      const block = Buffer.alloc(Math.min(BLOCK, limit - position));
      const { bytesRead } = await handle.read(block, 0, block.length, position);
      if (bytesRead === 0) break;
      let piece = block.subarray(0, bytesRead);
      position += bytesRead;
      let index = -1;
      while (found < lines && (index = piece.indexOf(NEWLINE, index + 1)) !== -1) found++;
      if (found === lines && index !== -1) piece = piece.subarray(0, index + 1);
      pieces.push(piece);
      if (found === lines) break;
    }
    return { bytes: cutLongLines(Buffer.concat(pieces)), bytesRead: position };
  } finally {
    await handle.close();
  }
}

/**
 * The last `lines` lines of a file, read by seeking backwards from the end: the cost depends
 * on the lines asked for, not on the size of the file.
 */
export async function readTail(path: string | Buffer, lines: number): Promise<Excerpt> {
  if (lines === 0) return { bytes: Buffer.alloc(0), bytesRead: 0 };
  const limit = lines * (MAX_EXCERPT_LINE_BYTES + 1);
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const pieces: Buffer[] = [];
    let end = size;
    let read = 0;
    let newlines = 0;
    // A final newline ends the last line; it does not start an empty one.
    let skipTrailing = true;
    while (end > 0 && read < limit) {
      const start = Math.max(0, end - BLOCK, size - limit);
      const block = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(block, 0, block.length, start);
      const piece = block.subarray(0, bytesRead);
      read += bytesRead;
      for (let index = piece.length - 1; index >= 0; index--) {
        if (piece[index] !== NEWLINE) continue;
        if (skipTrailing && start + index === size - 1) continue;
        newlines++;
        if (newlines === lines) {
          pieces.unshift(piece.subarray(index + 1));
          return { bytes: cutLongLines(Buffer.concat(pieces)), bytesRead: read };
        }
      }
      skipTrailing = false;
      pieces.unshift(piece);
      end = start;
      if (start === size - limit) break;
    }
    return { bytes: cutLongLines(Buffer.concat(pieces)), bytesRead: read };
  } finally {
    await handle.close();
  }
}

/** Cuts every line longer than the bound, keeping its start. */
function cutLongLines(text: Buffer): Buffer {
  const out: Buffer[] = [];
  let start = 0;
  let changed = false;
  while (start < text.length) {
    let end = text.indexOf(NEWLINE, start);
    end = end === -1 ? text.length : end + 1;
    const length = end - start;
    if (length > MAX_EXCERPT_LINE_BYTES + 1) {
      changed = true;
      out.push(text.subarray(start, start + MAX_EXCERPT_LINE_BYTES));
      out.push(Buffer.from(` [... k98-diagnostics: line cut, ${length} bytes ...]\n`));
    } else {
      out.push(text.subarray(start, end));
    }
    start = end;
  }
  return changed ? Buffer.concat(out) : text;
}
