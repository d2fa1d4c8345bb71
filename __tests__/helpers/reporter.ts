import type { Reporter } from '../../src/report/reporter.js';

/** A reporter that keeps every line, unmasked, so a test can search them for secrets. */
export interface RecordingReporter extends Reporter {
  lines: string[];
  secrets: string[];
  /** Every line joined, for `includes` checks. */
  text(): string;
}

export function recordingReporter(): RecordingReporter {
  const lines: string[] = [];
  const secrets: string[] = [];
  const record =
    (level: string) =>
    (message: string): void => {
      lines.push(`${level}: ${message}`);
    };
  return {
    lines,
    secrets,
    text: () => lines.join('\n'),
    info: record('info'),
    debug: record('debug'),
    warning: record('warning'),
    error: record('error'),
    startGroup: record('group'),
    endGroup: () => undefined,
    setSecret: (value) => {
      secrets.push(value);
    },
  };
}
