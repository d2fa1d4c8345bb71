import type { InputName } from '../inputs/definitions.js';
import { readInputs } from '../inputs/read.js';
import { makeWorkDir, prepareSecrets, removeWorkDir, runPipeline } from '../pipeline.js';
import { consoleReporter } from '../report/console-reporter.js';
import { scrubbingReporter } from '../report/reporter.js';
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

  const terminal = consoleReporter();
  const redactor = prepareSecrets(inputs, env, terminal);
  const reporter = scrubbingReporter(terminal, (text) => redactor.scrubText(text));
  const cancellation = watchForCancellation();
  const workDir = await makeWorkDir(env);
  try {
    const result = await runPipeline({
      inputs,
      env,
      reporter,
      cancel: cancellation.signal,
      live: (chunk) => process.stdout.write(chunk),
      workDir,
      redactor,
    });
    process.exitCode = printResult(result, inputs, reporter);
  } finally {
    cancellation.dispose();
    await removeWorkDir(workDir);
  }
}
