import type { AnnotationProperties, Reporter } from '../../src/report/reporter.js';

export interface ReportedLine {
  level: 'info' | 'debug' | 'warning' | 'error' | 'group';
  message: string;
  properties?: AnnotationProperties;
}

/**
 * A Reporter that keeps what it is told, for tests that check messages and annotations, and
 * the values it was asked to mask.
 */
export function recordingReporter(): {
  reporter: Reporter;
  lines: ReportedLine[];
  secrets: string[];
} {
  const lines: ReportedLine[] = [];
  const secrets: string[] = [];
  const reporter: Reporter = {
    info: (message) => lines.push({ level: 'info', message }),
    debug: (message) => lines.push({ level: 'debug', message }),
    warning: (message, properties) => lines.push({ level: 'warning', message, properties }),
    error: (message, properties) => lines.push({ level: 'error', message, properties }),
    startGroup: (title) => lines.push({ level: 'group', message: title }),
    endGroup: () => undefined,
    setSecret: (value) => void secrets.push(value),
  };
  return { reporter, lines, secrets };
}
