import { isPytestCommand } from './outcome.js';

/** Words after which `pytest` is the program being run, not an argument (`pip install pytest`). */
const LAUNCHERS = new Set(['-m', 'run', 'exec', 'time', 'env', 'nice', 'xvfb-run', 'coverage']);

/**
 * Asks pytest for a JUnit report: returns the command with `--junitxml=<file>` added right
 * after the word that starts pytest, so it reaches pytest even in `cd x && pytest -q | tee o`.
 * Returns null when the command is not pytest or already names its own report.
 */
export function addJunitXml(command: string, reportFile: string): string | null {
  if (!isPytestCommand(command)) return null;
  if (/--junit-?xml\b/.test(command)) return null;

  const insertAt = pytestWordEnd(command);
  if (insertAt === null) return null;
  const flag = ` --junitxml=${shellQuote(reportFile)}`;
  return command.slice(0, insertAt) + flag + command.slice(insertAt);
}

/** Where the first `pytest` that is run as a program ends; null when none is found. */
function pytestWordEnd(command: string): number | null {
  const words = /(?:^|[\s;&|()])((?:[^\s;&|()]*\/)?(?:py\.test|pytest))(?=[\s;&|()]|$)/g;
  let fallback: number | null = null;

  for (const match of command.matchAll(words)) {
    const word = match[1] as string;
    const end = (match.index ?? 0) + match[0].length;
    fallback ??= end;

    const before = command.slice(0, end - word.length);
    const segment = before.split(/&&|\|\||[;|&(\n]/).pop() ?? '';
    const previous = segment.trim().split(/\s+/).pop() ?? '';
    const startsSegment = segment.trim() === '' || /^\w+=\S*$/.test(previous);
    const launched = LAUNCHERS.has(previous);
    if (startsSegment || launched || word.includes('/')) return end;
  }
  return fallback;
}

/** Single-quotes a word for sh and bash: nothing inside single quotes is special but `'`. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
