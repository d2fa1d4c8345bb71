import type { Inputs } from '../inputs/read.js';
import type { PipelineResult } from '../pipeline.js';
import { isFailing } from '../run/outcome.js';
import { uploadsFailed } from '../upload/index.js';

/**
 * Why the step fails, one reason a line (commands and uploads reported separately); empty
 * when it succeeds.
 */
export function failureReasons(result: PipelineResult, inputs: Inputs): string[] {
  const reasons: string[] = [];
  if (inputs.failOnCommandFailure) {
    for (const command of result.commands) {
      if (!isFailing(command.outcome, inputs.failOnNoTests)) continue;
      const exit =
        command.exit_code === null
          ? ''
          : ` (exit ${command.exit_code}: ${command.exit_code_meaning})`;
      reasons.push(`${command.name} ${command.outcome}${exit}`);
    }
  }
  if (result.cancelled) reasons.push('the job was cancelled');
  if (!result.bundle)
    reasons.push(`no diagnostics archive: ${result.bundleError ?? 'unknown error'}`);
  if (uploadsFailed(result.uploads, inputs.upload.explicit)) {
    const failed = result.uploads
      .filter((upload) => !upload.ok)
      .map((upload) => upload.destination);
    reasons.push(
      `upload failed: ${failed.join(', ')} (the archive is kept at ${result.bundle?.archivePath})`,
    );
  }
  return [...new Set(reasons)];
}
