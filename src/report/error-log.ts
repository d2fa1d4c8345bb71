/** What the tail of error_log.txt says, in counts and the latest errors. */
export interface ErrorLogSummary {
  error: number;
  critical: number;
  warning: number;
  /** The last ERROR or CRITICAL lines, oldest first (at most LAST_ERRORS). */
  lastErrors: string[];
  /** Lines in the excerpt. */
  lines: number;
}

const LAST_ERRORS = 5;

/** Longest line kept: a logged payload can fill a screen. */
const MAX_LINE_CHARS = 500;

/** `2026-11-30 21:04:05,123 [ERROR] bot.queue: message` — the bot's log line. */
const LOG_LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \[([A-Z]+)\] \S+?: /;

/**
 * Counts ERROR, CRITICAL and WARNING records in error_log.txt's tail excerpt and keeps the
 * last few errors. Continuation lines (a traceback under a record) are not records and are
 * not counted. CRITICAL lines count as errors in `lastErrors`: they are the worse kind.
 */
export function summarizeErrorLog(text: string): ErrorLogSummary {
  const summary: ErrorLogSummary = { error: 0, critical: 0, warning: 0, lastErrors: [], lines: 0 };
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  summary.lines = lines.length;

  for (const line of lines) {
    const level = LOG_LINE.exec(line)?.[1];
    if (level === 'WARNING' || level === 'WARN') summary.warning++;
    if (level === 'ERROR') summary.error++;
    if (level === 'CRITICAL' || level === 'FATAL') summary.critical++;
    if (level === 'ERROR' || level === 'CRITICAL' || level === 'FATAL') {
      summary.lastErrors.push(clip(line));
      if (summary.lastErrors.length > LAST_ERRORS) summary.lastErrors.shift();
    }
  }
  return summary;
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}
