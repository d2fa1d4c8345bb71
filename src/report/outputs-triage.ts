import type { Triage } from './triage.js';

/**
 * The outputs `tests-passed`, `tests-failed`, `tests-skipped` and `crash-exception`. Counts
 * are empty when no test report was read (unknown is not zero). Errors (a test whose setup
 * or collection failed) count as failed: either way the test did not pass.
 */
export function triageOutputs(
  triage: Triage,
  scrub: (text: string) => string = (text) => text,
): Record<string, string> {
  const tests = triage.tests;
  return {
    'tests-passed': tests ? String(tests.passed) : '',
    'tests-failed': tests ? String(tests.failed + tests.errors) : '',
    'tests-skipped': tests ? String(tests.skipped) : '',
    'crash-exception': triage.crash ? scrub(triage.crash.exception) : '',
  };
}
