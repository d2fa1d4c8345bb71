import { rmSync } from 'node:fs';

import { startPythonProbe } from '../collect/system-info.js';
import type { InputName } from '../inputs/definitions.js';
import { readInputs } from '../inputs/read.js';
import { makeWorkDir, prepareSecrets, removeWorkDir, runPipeline } from '../pipeline.js';
import { consoleReporter } from '../report/console-reporter.js';
import { scrubbingReporter } from '../report/reporter.js';
import { renderPlainSummary } from '../report/summary.js';
import { TriageRun } from '../report/triage-run.js';
import { watchForCancellation } from '../run/cancellation.js';
import { flagsToInputs } from './options.js';
import { printResult } from './print.js';

/** `k98-diagnostics collect`: the runbook's collection, through the action's own pipeline. */
export async function runCollect(flags: Record<string, unknown>): Promise<void> {
  const raw: Partial<Record<InputName, string>> = {
    ...flagsToInputs(flags),
    output: typeof flags.output === 'string' ? flags.output : '',
    'include-logs': flags.includeLogs ? 'true' : 'false',
    'extra-paths': Array.isArray(flags.extra) ? flags.extra.join('\n') : '',
    upload: flags.upload ? String(flags.uploadTo ?? 'auto') : 'none',
  };
  const env = process.env;
  const inputs = readInputs((name) => raw[name], env);
  // The CLI runs no command unless it is given one.
  inputs.smokeCommand = typeof flags.smokeCommand === 'string' ? flags.smokeCommand : '';
  inputs.testCommand = typeof flags.testCommand === 'string' ? flags.testCommand : '';

  startPythonProbe();
  const terminal = consoleReporter();
  const redactor = prepareSecrets(inputs, env, terminal);
  const scrub = (text: string): string => redactor.scrubText(text);
  const reporter = scrubbingReporter(terminal, scrub);
  if (flags.upload && inputs.upload.destinations.length === 0) {
    reporter.warning(
      'Nothing will be uploaded: --upload found no destination; give --s3-bucket or ' +
        '--artifact-url (or set DIAGNOSTICS_S3_BUCKET or ARTIFACT_UPLOAD_URL)',
    );
  }
  const workDir = await makeWorkDir(env);
  // A first Ctrl-C (or SIGTERM) stops the commands and the archive is still made; a second
  // one stops at once: collecting `--extra /` can take longer than anyone wants to wait.
  let reserved = '';
  let archived = false;
  let signals = 0;
  const cancellation = watchForCancellation((signal) => {
    signals++;
    if (signals === 1) {
      reporter.warning(`Received ${signal}: the archive is still made; send it again to stop now`);
      return;
    }
    reporter.error(`Received ${signal} again: stopping now, without an archive`);
    if (reserved && !archived) rmSync(reserved, { force: true });
    rmSync(workDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
  const triageRun = TriageRun.plan(inputs, workDir, scrub);
  try {
    const result = await runPipeline(
      {
        inputs: { ...inputs, testCommand: triageRun.testCommand },
        env,
        reporter,
        cancel: cancellation.signal,
        live: (chunk) => process.stdout.write(chunk),
        workDir,
        redactor,
        onArchiveReserved: (archivePath) => (reserved = archivePath),
      },
      { additions: triageRun.additions, onArchive: () => (archived = true) },
    );
    const summary = renderPlainSummary(triageRun.summaryData(result.commands, result, null));
    process.exitCode = printResult(result, inputs, reporter, summary);
  } finally {
    cancellation.dispose();
    await removeWorkDir(workDir);
  }
}
