/** One list of outcomes for every output, summary line and file. */
export type Outcome = 'success' | 'failure' | 'timed-out' | 'cancelled' | 'skipped' | 'no-tests';

export type CommandName = 'smoke' | 'tests';

/** One command's record, as written to meta/commands.json. */
export interface CommandRecord {
  name: CommandName;
  command: string;
  cwd: string;
  exit_code: number | null;
  exit_code_meaning: string;
  signal: string | null;
  outcome: Outcome;
  start: string | null;
  end: string | null;
  duration_ms: number;
  /** Absolute path of the captured output on disk, when the command ran. */
  log_path?: string;
}

/** Outcomes that fail the step unless fail-on-command-failure is false. */
export function isFailing(outcome: Outcome, failOnNoTests: boolean): boolean {
  if (outcome === 'no-tests') return failOnNoTests;
  return outcome === 'failure' || outcome === 'timed-out' || outcome === 'cancelled';
}

const PYTEST_MEANINGS: Record<number, string> = {
  0: 'all tests passed',
  1: 'tests failed',
  2: 'interrupted or collection errors',
  3: 'internal error',
  4: 'usage error',
  5: 'no tests collected',
};

/** pytest run directly or as `python -m pytest`. */
export function isPytestCommand(command: string): boolean {
  return /(^|[\s/;&|(])(py\.test|pytest)(\s|$)|-m\s+pytest\b/.test(command);
}

/** What an exit code means, in words: pytest's documented codes, else the shell's. */
export function exitCodeMeaning(command: string, exitCode: number | null, signal: string | null) {
  if (exitCode === null) return signal ? `killed by ${signal}` : 'did not run';
  if (isPytestCommand(command) && PYTEST_MEANINGS[exitCode]) return PYTEST_MEANINGS[exitCode];
  if (exitCode === 0) return 'success';
  if (exitCode === 126) return 'command not executable';
  if (exitCode === 127) return 'command not found';
  if (exitCode > 128 && exitCode < 160) return `killed by signal ${exitCode - 128}`;
  return 'failed';
}

/** The record of a command that did not run (empty, or commands not run at all). */
export function skippedRecord(name: CommandName, command: string, cwd: string): CommandRecord {
  return {
    name,
    command,
    cwd,
    exit_code: null,
    exit_code_meaning: 'did not run',
    signal: null,
    outcome: 'skipped',
    start: null,
    end: null,
    duration_ms: 0,
  };
}
