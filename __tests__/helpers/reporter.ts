import type { AnnotationProperties, Reporter } from '../../src/report/reporter.js';

export interface ReportedLine {
  level: 'info' | 'debug' | 'warning' | 'error' | 'group';
  message: string;
  properties?: AnnotationProperties;
}

/** A Reporter that keeps what it is told, for tests that check messages and annotations. */
export interface RecordedReport {
  reporter: Reporter;
  lines: ReportedLine[];
  /** Values given to setSecret; lines are kept unmasked, so tests can search them. */
  secrets: string[];
}

export function recordingReporter(): RecordedReport {
  const lines: ReportedLine[] = [];
  const secrets: string[] = [];
  const reporter: Reporter = {
    info: (message) => lines.push({ level: 'info', message }),
    debug: (message) => lines.push({ level: 'debug', message }),
    warning: (message, properties) => lines.push({ level: 'warning', message, properties }),
    error: (message, properties) => lines.push({ level: 'error', message, properties }),
    startGroup: (title) => lines.push({ level: 'group', message: title }),
    endGroup: () => undefined,
    setSecret: (value) => {
      secrets.push(value);
    },
  };
  return { reporter, lines, secrets };
}

/** Every recorded message, one a line, for `includes` and `match` checks. */
export function reportedText(lines: ReportedLine[]): string {
  return lines.map((line) => `${line.level}: ${line.message}`).join('\n');
}
