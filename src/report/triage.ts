import path from 'node:path';

import { errorMessage } from '../errors.js';
import { findNewestCrash, type CrashReport } from './crash.js';
import { summarizeErrorLog, type ErrorLogSummary } from './error-log.js';
import type { TestReport } from './junit.js';
import { readShutdownInfo, type ShutdownInfo } from './shutdown.js';

/** The runbook's triage flow, done by the action: tests, crash.log, error_log, shutdown. */
export interface Triage {
  /** Null when no JUnit report was found or asked for. */
  tests: TestReport | null;
  /** The newest traceback in crash.log or its rotated siblings; null when there is none. */
  crash: CrashReport | null;
  /** Null when there was no error_log.txt excerpt. */
  errorLog: ErrorLogSummary | null;
  shutdown: ShutdownInfo[];
  /** Parts that could not be read, one line each: triage never fails a run. */
  problems: string[];
}

export interface TriageInput {
  logDir: string;
  dataDir: string;
  workingDirectory: string;
  /** The JUnit reports (from `test-report` or pytest's own); relative to workingDirectory. */
  junitFiles: string[];
  /** The text of error_log.txt's tail excerpt, or null when there is none. */
  errorLogTailText: string | null;
  /**
   * The bundle's scrubber. Every text is scrubbed as it is read, before anything cuts it to
   * a length: a token cut in two no longer looks like one, and half of it would show.
   */
  scrub: (text: string) => string;
}

/** Reads what a maintainer would read first. Each part that fails is left out and noted. */
export async function buildTriage(input: TriageInput): Promise<Triage> {
  const problems: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      problems.push(`${what}: ${errorMessage(error)}`);
      return fallback;
    }
  };

  const junitFiles = input.junitFiles.map((file) => path.resolve(input.workingDirectory, file));
  const tests =
    junitFiles.length === 0
      ? null
      : await attempt('test reports', () => readTestReports(junitFiles, input.scrub), null);
  const crash = await attempt('crash.log', () => findNewestCrash(input.logDir, input.scrub), null);
  const errorLog =
    input.errorLogTailText === null ? null : summarizeErrorLog(input.scrub(input.errorLogTailText));
  const shutdown = await attempt(
    'shutdown info',
    () => readShutdownInfo(input.logDir, input.dataDir, input.scrub),
    [],
  );

  return { tests, crash, errorLog, shutdown, problems };
}

/** The XML parser is loaded only when a report exists: a run without tests skips its load. */
async function readTestReports(
  files: string[],
  scrub: (text: string) => string,
): Promise<TestReport> {
  const { readJunitReports } = await import('./junit.js');
  const report = await readJunitReports(files);
  report.failures = report.failures.map((failure) => ({
    ...failure,
    name: scrub(failure.name),
    classname: scrub(failure.classname),
    file: failure.file === null ? null : scrub(failure.file),
    message: scrub(failure.message),
  }));
  return report;
}
