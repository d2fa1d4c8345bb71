import type { Reporter } from '../../src/report/reporter.js';

/** A Reporter that keeps every line and every registered secret, for tests in-process. */
export interface RecordingReporter extends Reporter {
  lines: string[];
  secrets: string[];
  /** Every line joined, to search. */
  text(): string;
}

export function recordingReporter(): RecordingReporter {
  const lines: string[] = [];
  const secrets: string[] = [];
  return {
    lines,
    secrets,
    text: () => lines.join('\n'),
    info: (message) => void lines.push(message),
    debug: (message) => void lines.push(`debug: ${message}`),
    warning: (message) => void lines.push(`warning: ${message}`),
    error: (message) => void lines.push(`error: ${message}`),
    startGroup: (title) => void lines.push(`== ${title}`),
    endGroup: () => undefined,
    setSecret: (value) => void secrets.push(value),
  };
}
