import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { openRegularFile } from '../collect/open-regular.js';

import type { ExceptionGroupInfo } from './exception-group.js';
import {
  followsChainSeparator,
  insideGroupBox,
  parseTracebacks,
  type ParsedTraceback,
  type TracebackFrame,
} from './traceback.js';

/** The newest crash found in crash.log or its rotated siblings. */
export interface CrashReport {
  /** The file it was found in (crash.log, crash.log.1, …). */
  file: string;
  timestampLine: string | null;
  /** `KeyError: 'queue_message_id'`. */
  exception: string;
  /** Frames outermost first, as Python prints them; the innermost is the last. */
  frames: TracebackFrame[];
  /** How many frames the traceback had (more than `frames` holds when it was very deep). */
  frameCount: number;
  /** Exceptions earlier in the chain, oldest first. */
  chain: string[];
  /** The ExceptionGroup `exception` was raised in (an asyncio.TaskGroup's), if any. */
  group: ExceptionGroupInfo | null;
  /** Other tracebacks in the same file (a chain counts once). */
  otherTracebacks: number;
  /** False when the file was too large to count in full: `otherTracebacks` is a lower bound. */
  otherTracebacksExact: boolean;
}

/*
 * Logs can be many GB. Nothing here reads a file whole: the newest traceback is looked for in
 * a window at the end of the file that grows (1 MiB, 4 MiB, 16 MiB) until one is found whole,
 * and tracebacks are counted by streaming at most the last COUNT_LIMIT bytes.
 */
const FIRST_WINDOW = 1024 * 1024;
const MAX_WINDOW = 16 * 1024 * 1024;
const COUNT_LIMIT = 64 * 1024 * 1024;
const COUNT_CHUNK = 1024 * 1024;

/** Frames kept per crash: the innermost ones. */
const MAX_FRAMES = 50;

/** A traceback starting this close to the window's start may have begun before it. */
const WINDOW_MARGIN_LINES = 20;

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The newest Python traceback in LOG_DIR's crash.log, else in its rotated siblings
 * (crash.log.1, crash.log.2, … newest first). Null when none holds one or none exists.
 */
export async function findNewestCrash(
  logDir: string,
  scrub: (text: string) => string,
): Promise<CrashReport | null> {
  for (const file of await crashLogs(logDir)) {
    const found = await newestTraceback(file, scrub);
    if (!found) continue;

    const count = await countTracebacks(file);
    return {
      file,
      timestampLine: found.timestampLine,
      exception: found.exception,
      frames: found.frames.slice(-MAX_FRAMES),
      frameCount: found.frames.length,
      chain: found.chain,
      group: found.group,
      otherTracebacks: Math.max(0, count.tracebacks - 1),
      otherTracebacksExact: count.exact,
    };
  }
  return null;
}

/** crash.log, then crash.log.N by increasing N (RotatingFileHandler: .1 is the newest). */
async function crashLogs(logDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch {
    return [];
  }
  const rotation = (name: string): number =>
    Number(/^crash\.log(?:\.(\d+))?$/.exec(name)?.[1] ?? 0);
  return names
    .filter((name) => /^crash\.log(\.\d+)?$/.test(name))
    .sort((a, b) => rotation(a) - rotation(b))
    .map((name) => path.join(logDir, name));
}

/**
 * The newest traceback of `file`, read from text scrubbed before it is parsed: the exception
 * line is cut to a length afterwards, which must not cut a secret that could then be seen.
 * A link or a FIFO in crash.log's place is not read (see openRegularFile).
 */
async function newestTraceback(
  file: string,
  scrub: (text: string) => string,
): Promise<ParsedTraceback | null> {
  const handle = await openRegularFile(file).catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    let window = Math.min(size, FIRST_WINDOW);

    for (;;) {
      const start = size - window;
      const buffer = Buffer.alloc(window);
      const { bytesRead } = await handle.read(buffer, 0, window, start);
      let text = decoder.decode(buffer.subarray(0, bytesRead));
      // The window may begin inside a line (or a UTF-8 character): drop that partial line.
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
      text = scrub(text);

      const newest = parseTracebacks(text).at(-1) ?? null;
      const whole =
        start === 0 ||
        (newest !== null &&
          newest.startLine >= WINDOW_MARGIN_LINES &&
          !followsChainSeparator(text.split(/\r?\n/), newest.startLine));
      if (whole || window >= Math.min(size, MAX_WINDOW)) return newest;
      window = Math.min(size, window * 4, MAX_WINDOW);
    }
  } finally {
    await handle.close();
  }
}

const MARKER = Buffer.from('Traceback (most recent call last):');
const CHAIN_MARKERS = [
  Buffer.from('During handling of the above exception, another exception occurred'),
  Buffer.from('The above exception was the direct cause of the following exception'),
];

/**
 * Counts tracebacks by their marker lines, streaming the last COUNT_LIMIT bytes in chunks;
 * chained exceptions count once (each chain separator joins two markers), and so does an
 * ExceptionGroup (the markers inside its box, after a `|` bar, are not counted).
 */
async function countTracebacks(file: string): Promise<{ tracebacks: number; exact: boolean }> {
  const handle = await openRegularFile(file);
  try {
    const { size } = await handle.stat();
    const from = Math.max(0, size - COUNT_LIMIT);
    let markers = 0;
    let separators = 0;
    // The start of the line the last chunk ended in, so a marker's line can be looked at;
    // its matches were counted with that chunk.
    let carry = Buffer.alloc(0);

    for (let position = from; position < size; position += COUNT_CHUNK) {
      const chunk = Buffer.alloc(Math.min(COUNT_CHUNK, size - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      const buffer = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      markers += topLevelOccurrences(buffer, MARKER, carry.length);
      for (const marker of CHAIN_MARKERS) {
        separators += topLevelOccurrences(buffer, marker, carry.length);
      }
      const lineStart = buffer.lastIndexOf(0x0a) + 1;
      carry = buffer.subarray(Math.max(lineStart, buffer.length - CARRY_LIMIT));
    }
    return { tracebacks: Math.max(0, markers - separators), exact: from === 0 };
  } finally {
    await handle.close();
  }
}

/** Longest line start kept from one chunk to the next: more than any prefix of a marker. */
const CARRY_LIMIT = 1024;

/**
 * Occurrences of `needle` not inside an ExceptionGroup's box, leaving out the ones that lie
 * wholly in the first `seen` bytes (counted before).
 */
function topLevelOccurrences(haystack: Buffer, needle: Buffer, seen: number): number {
  let count = 0;
  const first = Math.max(0, seen - needle.length + 1);
  for (let at = haystack.indexOf(needle, first); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const lineStart = haystack.lastIndexOf(0x0a, at - 1) + 1;
    const before = haystack.toString('latin1', Math.max(lineStart, at - CARRY_LIMIT), at);
    if (!insideGroupBox(before)) count++;
  }
  return count;
}

/**
 * The innermost frame whose file lies inside the working directory, with its path made
 * relative to it; null when every frame is outside (library code, another checkout).
 */
export function innermostFrameInside(
  crash: CrashReport,
  workingDirectory: string,
): { file: string; line: number } | null {
  for (const frame of [...crash.frames].reverse()) {
    // `<frozen importlib._bootstrap>`, `<string>`: not files.
    if (frame.file.startsWith('<')) continue;
    const absolute = path.resolve(workingDirectory, frame.file);
    const relative = path.relative(workingDirectory, absolute);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      return { file: relative, line: frame.line };
    }
  }
  return null;
}
