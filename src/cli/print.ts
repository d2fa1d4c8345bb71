import type { Inputs } from '../inputs/read.js';
import type { PipelineResult } from '../pipeline.js';
import type { Reporter } from '../report/reporter.js';
import { uploadsFailed } from '../upload/index.js';

/**
 * Prints the end of a CLI run in plain text (the triage summary, when given, then where the
 * archive is and where it went); returns the exit code.
 */
export function printResult(
  result: PipelineResult,
  inputs: Inputs,
  reporter: Reporter,
  summary = '',
): number {
  for (const command of result.commands) {
    if (command.outcome === 'skipped' && !command.command) continue;
    reporter.info(`${command.name}: ${command.outcome} (${command.exit_code_meaning})`);
  }
  if (!result.bundle) {
    reporter.error(`No archive was made: ${result.bundleError ?? 'unknown error'}`);
    return 1;
  }
  if (summary) reporter.info(summary.trimEnd());
  reporter.info(`Archive: ${result.bundle.archivePath}`);
  reporter.info(`sha256: ${result.bundle.sha256}  size: ${result.bundle.size} bytes`);
  reporter.info(`Files: ${result.bundle.entryCount}; problems: ${result.bundle.errors.length}`);
  for (const upload of result.uploads) {
    reporter.info(
      `${upload.destination}: ${upload.ok ? `uploaded ${upload.location ?? ''}` : upload.error}`,
    );
  }
  if (uploadsFailed(result.uploads, inputs.upload.explicit)) {
    reporter.error(`Upload failed; the archive is still at ${result.bundle.archivePath}`);
    return 1;
  }
  return 0;
}
