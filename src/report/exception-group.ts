import type { TracebackFrame } from './traceback.js';

/**
 * Python 3.11+ prints an ExceptionGroup (asyncio.TaskGroup's failures, for one) as a box:
 *
 *     + Exception Group Traceback (most recent call last):
 *     |   File "bot/tasks.py", line 12, in run_all
 *     | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)
 *     +-+---------------- 1 ----------------
 *       | Traceback (most recent call last):
 *       |   File "bot/queue.py", line 3, in pop
 *       | KeyError: 'queue_message_id'
 *       +---------------- 2 ----------------
 *       | PermissionError: Missing Permissions
 *       +------------------------------------
 *
 * The group's own lines hang from a bar in one column; each sub-exception's from a bar two
 * columns further in, and a sub-exception may be a group again. What a maintainer needs is
 * the error inside: the group is read as its first sub-exception (depth first), with the
 * group's line and every sub-exception's kept beside it.
 */

/** The group a traceback's exception was raised in. */
export interface ExceptionGroupInfo {
  /** The outermost group's line: `ExceptionGroup: unhandled errors in a TaskGroup (2 …)`. */
  exception: string;
  /** Every sub-exception's line, depth first (Python's `and 3 more exceptions` included). */
  members: string[];
}

/** What a traceback (or a group) comes to. */
export interface TracebackReading {
  exception: string;
  frames: TracebackFrame[];
  chain: string[];
}

/** How the plain tracebacks inside a group are read (traceback.ts's own readers). */
export interface GroupReaders {
  /** Frames and exception line of `Traceback …` lines at `start` (no bars, no prefixes). */
  readOne: (lines: string[], start: number) => { frames: TracebackFrame[]; exception: string };
  /** A sub-exception's text: a traceback, maybe chained, or a bare exception line. */
  readMember: (lines: string[]) => TracebackReading;
}

/**
 * Groups read inside groups: Python prints 10 levels at most, so anything deeper was not
 * written by it, and each level is read again from its rows (a crafted log must not stall
 * the triage). A deeper group counts as one sub-exception, its header line.
 */
const MAX_DEPTH = 16;

const GROUP_START = /^(\s*)\+ Exception Group Traceback \(most recent call last\):\s*$/;
const NESTED_GROUP_START = /^Exception Group Traceback \(most recent call last\):\s*$/;
/** `+---- 2 ----`, `+---- ... ----` or the closing `+--------`; not `+-+`, which opens. */
const SEPARATOR = /^\+-+(?: (?:\d+|\.\.\.) -+)?\s*$/;

/** Boxes being read, one inside another: a group's header can also stand in a member. */
let openBoxes = 0;

/**
 * Whether `line` (its log prefix removed) opens a printed ExceptionGroup that can be read:
 * past MAX_DEPTH open boxes, a header is read as a plain traceback line.
 */
export function isGroupStart(line: string): boolean {
  return GROUP_START.test(line) && openBoxes < MAX_DEPTH;
}

/**
 * Reads the group that opens at `lines[start]` (a line isGroupStart accepts). `endLine` is
 * the index after its last line: the box ends at the first line without a bar.
 */
export function readExceptionGroup(
  lines: string[],
  start: number,
  readers: GroupReaders,
): TracebackReading & { group: ExceptionGroupInfo; endLine: number } {
  const column = GROUP_START.exec(lines[start] ?? '')?.[1]?.length ?? 0;
  let end = start + 1;
  // The next group printed right after this one opens with a bar too, but is not part of it.
  while (
    end < lines.length &&
    hangsFromBar(lines[end] ?? '', column) &&
    !GROUP_START.test(lines[end] ?? '')
  ) {
    end++;
  }

  const box = readBox(lines.slice(start, end), column, readers);
  const first = box.leaves.find((leaf) => !/^and \d+ more exceptions?$/.test(leaf.exception));
  const inner = first ?? { exception: box.exception, frames: [], chain: [] };
  return {
    exception: inner.exception,
    // A sub-exception never raised has no frames: then the group's own say where it was.
    frames: inner.frames.length > 0 ? inner.frames : (first?.groupFrames ?? box.frames),
    chain: inner.chain,
    group: { exception: box.exception, members: box.leaves.map((leaf) => leaf.exception) },
    endLine: end,
  };
}

/** A line of the box: a bar (`|` or `+`) first, at `column` or deeper. */
function hangsFromBar(line: string, column: number): boolean {
  const bar = line.search(/\S/);
  return bar >= column && (line[bar] === '|' || line[bar] === '+');
}

interface Leaf extends TracebackReading {
  /** The frames of the innermost group around it. */
  groupFrames: TracebackFrame[];
}

/**
 * One group's box: `rows[0]` is its header, its own lines have a bar at `column`, and its
 * sub-exceptions open with `+-+` there and hang from `column + 2`.
 */
function readBox(
  rows: string[],
  column: number,
  readers: GroupReaders,
): { exception: string; frames: TracebackFrame[]; leaves: Leaf[] } {
  openBoxes++;
  try {
    return readOpenBox(rows, column, readers);
  } finally {
    openBoxes--;
  }
}

function readOpenBox(
  rows: string[],
  column: number,
  readers: GroupReaders,
): { exception: string; frames: TracebackFrame[]; leaves: Leaf[] } {
  let index = 1;
  const own = ['Traceback (most recent call last):'];
  while (index < rows.length && (rows[index] ?? '')[column] === '|') {
    own.push(content(rows[index] ?? '', column));
    index++;
  }
  const { frames, exception } = readers.readOne(own, 0);

  const leaves: Leaf[] = [];
  const inner = column + 2;
  for (const member of members(rows.slice(index), column, inner)) {
    const first = content(member[0] ?? '', inner);
    // TODO: a group printed after a chain inside one sub-exception is read as plain text.
    if (NESTED_GROUP_START.test(first) && openBoxes < MAX_DEPTH) {
      leaves.push(...readBox(member, inner, readers).leaves);
    } else {
      const reading = readers.readMember(member.map((row) => content(row, inner)));
      leaves.push({ ...reading, groupFrames: frames });
    }
  }
  return { exception, frames, leaves };
}

/**
 * Splits the rows after a group's own lines into its sub-exceptions: the first opens with
 * `+-+` at `column`, the next ones with a separator at `inner`; the closing separator ends
 * them. A nested group's `+-+` sits at `inner` too, and stays inside its sub-exception.
 */
function members(rows: string[], column: number, inner: number): string[][] {
  const found: string[][] = [];
  if (!(rows[0] ?? '').slice(column).startsWith('+-+')) return found;
  let current: string[] = [];
  for (const row of rows.slice(1)) {
    if (row[inner] === '+' && SEPARATOR.test(row.slice(inner))) {
      if (current.length > 0) found.push(current);
      current = [];
      continue;
    }
    current.push(row);
  }
  if (current.length > 0) found.push(current);
  return found;
}

/** A row's text after its bar at `column` and the one space Python puts after it. */
function content(row: string, column: number): string {
  // trimEnd, not a regular expression: `\s+$` tries every start in a long run of spaces.
  return row.slice(column + 2).trimEnd();
}
