import {
  isGroupStart,
  readExceptionGroup,
  type ExceptionGroupInfo,
  type GroupReaders,
} from './exception-group.js';

/** One frame of a Python traceback. */
export interface TracebackFrame {
  file: string;
  line: number;
  /** Absent for frames Python prints without one (a SyntaxError's location). */
  function: string | null;
  /** The source line Python printed under the frame, when it did. */
  code: string | null;
}

/** One traceback as Python printed it, with any exceptions chained before it. */
export interface ParsedTraceback {
  /** Index of the first `Traceback (most recent call last):` line of the chain. */
  startLine: number;
  /** Index of the line after the final exception line. */
  endLine: number;
  /** The line that carries the logger's or the crash header's timestamp, when there is one. */
  timestampLine: string | null;
  /** The final exception, e.g. `KeyError: 'queue_message_id'`. */
  exception: string;
  /** Frames of the final traceback, outermost first (as Python prints them). */
  frames: TracebackFrame[];
  /** Earlier exceptions in the chain ("During handling of the above…"), oldest first. */
  chain: string[];
  /** The ExceptionGroup `exception` was raised in (and its other members), if any. */
  group: ExceptionGroupInfo | null;
}

/** The bot's logger prefix: `2026-11-30 21:04:05,123 [ERROR] bot.queue: `. */
const LOG_PREFIX =
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?\s+\[[A-Za-z]+\]\s+[^\s:]+: ?/;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;
const TRACEBACK_START = /Traceback \(most recent call last\):\s*$/;
const CHAIN_SEPARATOR = new RegExp(
  '^(During handling of the above exception, another exception occurred' +
    '|The above exception was the direct cause of the following exception):\\s*$',
);
const FRAME = /^\s+File "(.+)", line (\d+)(?:, in (.+))?\s*$/;
const FRAME_NOTE = /^\s+(\[Previous line repeated \d+ more times?\]|\.\.\.)\s*$/;

/** How far back from a traceback its timestamp line may be. */
const TIMESTAMP_LOOKBACK = 5;

/** How many lines of a multi-line exception message may sit before a chain separator. */
const CHAIN_LOOKAHEAD = 50;

/** Longest exception line kept (a repr can be megabytes). */
const MAX_EXCEPTION_CHARS = 2000;

/**
 * Finds every Python traceback in a log text, oldest first. A chain of exceptions counts as
 * one traceback whose exception is the last raised; an ExceptionGroup counts as one whose
 * exception is its first sub-exception (see exception-group.ts). Copes with tracebacks
 * written after a logger line (logger.exception) and with loggers that prefix every line of
 * the record.
 */
export function parseTracebacks(text: string): ParsedTraceback[] {
  const raw = text.split(/\r?\n/);
  const lines = raw.map((line) => line.replace(LOG_PREFIX, ''));
  const found: ParsedTraceback[] = [];

  let index = 0;
  while (index < lines.length) {
    if (!isTracebackStart(lines[index] ?? '')) {
      index++;
      continue;
    }
    const previousEnd = found.at(-1)?.endLine ?? 0;
    const parsed = parseChain(raw, lines, index, previousEnd);
    found.push(parsed);
    index = Math.max(parsed.endLine, index + 1);
  }
  return found;
}

function parseChain(
  raw: string[],
  lines: string[],
  start: number,
  previousEnd: number,
): ParsedTraceback {
  const prefix = logPrefix(raw[start] ?? '');
  const chain: string[] = [];
  let position = start;

  for (;;) {
    const one = isGroupStart(lines[position] ?? '')
      ? readExceptionGroup(lines, position, GROUP_READERS)
      : { ...parseOne(lines, position), chain: [], group: null };
    const next = nextInChain(raw, lines, one.endLine, prefix);
    if (next === null) {
      return {
        startLine: start,
        endLine: one.endLine,
        timestampLine: findTimestampLine(raw, start, previousEnd),
        exception: one.exception,
        frames: one.frames,
        chain: [...chain, ...one.chain],
        group: one.group,
      };
    }
    chain.push(one.group?.exception ?? one.exception);
    position = next;
  }
}

/**
 * A line that opens a traceback, but not one inside a printed ExceptionGroup (after its
 * `|` bar): those belong to the group's box, read as a whole from its first line.
 */
function isTracebackStart(line: string): boolean {
  return TRACEBACK_START.test(line) && !insideGroupBox(line);
}

/** Whether a line (or its start) lies inside an ExceptionGroup's box: a `|` bar first. */
export function insideGroupBox(line: string): boolean {
  return /^\s*\|/.test(line.replace(LOG_PREFIX, ''));
}

const GROUP_READERS: GroupReaders = {
  readOne: parseOne,
  readMember: (lines) => {
    const start = lines.findIndex((line) => line.trim() !== '');
    if (start >= 0 && isTracebackStart(lines[start] ?? '')) {
      return parseChain(lines, lines, start, 0);
    }
    const exception = (lines[start] ?? '').trim().slice(0, MAX_EXCEPTION_CHARS);
    return { exception: exception || '(no exception line)', frames: [], chain: [] };
  },
};

/** One `Traceback …` block: its frames and the exception line that ends it. */
function parseOne(
  lines: string[],
  start: number,
): { frames: TracebackFrame[]; exception: string; endLine: number } {
  const frames: TracebackFrame[] = [];
  let index = start + 1;

  while (index < lines.length) {
    const line = lines[index] ?? '';
    const frame = FRAME.exec(line);
    if (frame) {
      index++;
      let code: string | null = null;
      // Source and caret lines sit deeper than the frame line; the first is the source.
      while (index < lines.length && /^\s{4,}\S/.test(lines[index] ?? '')) {
        if (FRAME.test(lines[index] ?? '')) break;
        code ??= (lines[index] ?? '').trim();
        index++;
      }
      frames.push({
        file: frame[1] as string,
        line: Number(frame[2]),
        function: frame[3] ?? null,
        code,
      });
    } else if (FRAME_NOTE.test(line)) {
      index++;
    } else {
      break;
    }
  }

  const candidate = lines[index] ?? '';
  if (candidate.trim() !== '' && !/^\s/.test(candidate) && !TRACEBACK_START.test(candidate)) {
    return {
      frames,
      exception: candidate.trim().slice(0, MAX_EXCEPTION_CHARS),
      endLine: index + 1,
    };
  }
  return { frames, exception: '(the traceback is cut short: no exception line)', endLine: index };
}

/**
 * Where the next traceback of a chain starts, when "During handling of the above exception"
 * (or "The above exception was the direct cause") follows; null when the chain ends.
 * A line of a new log record (a different logger prefix) ends the search.
 */
function nextInChain(raw: string[], lines: string[], from: number, prefix: string): number | null {
  const limit = Math.min(lines.length, from + CHAIN_LOOKAHEAD);
  for (let index = from; index < limit; index++) {
    const line = lines[index] ?? '';
    if (TRACEBACK_START.test(line)) return null;
    if (CHAIN_SEPARATOR.test(line.trim())) return followingTraceback(lines, index + 1);
    const ownPrefix = logPrefix(raw[index] ?? '');
    if (ownPrefix !== '' && ownPrefix !== prefix) return null;
  }
  return null;
}

function followingTraceback(lines: string[], from: number): number | null {
  for (let index = from; index < Math.min(lines.length, from + 3); index++) {
    const line = lines[index] ?? '';
    if (TRACEBACK_START.test(line)) return index;
    if (line.trim() !== '') return null;
  }
  return null;
}

function logPrefix(line: string): string {
  return LOG_PREFIX.exec(line)?.[0] ?? '';
}

/**
 * The line that says when the traceback was written: the logger line just before it (what
 * logger.exception writes), else the traceback's own line when it carries a timestamp.
 */
function findTimestampLine(raw: string[], start: number, previousEnd: number): string | null {
  const own = raw[start] ?? '';
  const inline = !/^\s*(?:\+ Exception Group )?Traceback/.test(own.replace(LOG_PREFIX, ''));
  if (inline && TIMESTAMP.test(own)) return clip(own);

  const earliest = Math.max(previousEnd, start - TIMESTAMP_LOOKBACK);
  for (let index = start - 1; index >= earliest; index--) {
    const line = raw[index] ?? '';
    if (TIMESTAMP.test(line)) return clip(line);
  }
  return TIMESTAMP.test(own) ? clip(own) : null;
}

function clip(line: string): string {
  return line.trim().slice(0, MAX_EXCEPTION_CHARS);
}

/** Whether a chain separator sits just before `line` (the chain began earlier). */
export function followsChainSeparator(text: string[], line: number): boolean {
  for (let index = line - 1; index >= Math.max(0, line - 3); index--) {
    if (CHAIN_SEPARATOR.test((text[index] ?? '').replace(LOG_PREFIX, '').trim())) return true;
  }
  return false;
}
