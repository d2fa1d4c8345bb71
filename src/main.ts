import * as core from '@actions/core';

import { inputVariable } from './inputs/definitions.js';
import { readInputs } from './inputs/read.js';
import {
  makeWorkDir,
  prepareSecrets,
  removeWorkDir,
  runPipeline,
  type PipelineResult,
} from './pipeline.js';
import { actionReporter } from './report/action-reporter.js';
import { scrubbingReporter } from './report/reporter.js';
import { pipelineOutputs } from './report/outputs.js';
import { failureReasons } from './report/step-result.js';
import { watchForCancellation } from './run/cancellation.js';
import { STATE } from './state.js';

/** The main step: run the checks, collect, pack, upload, report. */
export async function runMain(): Promise<void> {
  const env = process.env;
  // An input the workflow did not set has no variable at all; one set to '' has an empty one.
  const inputs = readInputs(
    (name) => (env[inputVariable(name)] === undefined ? undefined : core.getInput(name)),
    env,
  );
  const redactor = prepareSecrets(inputs, env, actionReporter);
  const reporter = scrubbingReporter(actionReporter, (text) => redactor.scrubText(text));
  core.saveState(STATE.mainStarted, 'true');

  const cancellation = watchForCancellation((signal) =>
    reporter.warning(`Received ${signal}: stopping the commands and collecting diagnostics`),
  );
  const workDir = await makeWorkDir(env);
  let result: PipelineResult;
  try {
    result = await runPipeline(
      {
        inputs,
        env,
        reporter,
        cancel: cancellation.signal,
        live: (chunk) => process.stdout.write(chunk),
        workDir,
        redactor,
      },
      { onArchive: (bundle) => core.saveState(STATE.archivePath, bundle.archivePath) },
    );
  } finally {
    cancellation.dispose();
    await removeWorkDir(workDir);
  }

  if (!result.cancelled) core.saveState(STATE.uploadsDone, 'true');
  for (const [name, value] of Object.entries(pipelineOutputs(result))) {
    core.setOutput(name, value);
  }
  // TODO: replace this short summary with the triage summary (issue 7) when it lands.
  await writeShortSummary(result);

  const reasons = failureReasons(result, inputs);
  if (reasons.length > 0) core.setFailed(reasons.join('; '));
}

async function writeShortSummary(result: PipelineResult): Promise<void> {
  const rows = result.commands.map((command) => [
    command.name,
    command.outcome,
    command.exit_code === null ? '-' : `${command.exit_code} (${command.exit_code_meaning})`,
    `${(command.duration_ms / 1000).toFixed(1)} s`,
  ]);
  const summary = core.summary
    .addHeading('K98 diagnostics', 2)
    .addTable([['Command', 'Outcome', 'Exit', 'Duration'], ...rows]);
  if (result.bundle) {
    const truncated = result.bundle.manifest.entries.filter((entry) => entry.truncated).length;
    const leftOut = result.bundle.manifest.entries.filter((entry) => entry.left_out).length;
    summary.addRaw(
      `Bundle: ${result.bundle.size} bytes, ${result.bundle.entryCount} files; ` +
        `${truncated} truncated, ${leftOut} left out or missing, ` +
        `${result.bundle.errors.length} problems.`,
      true,
    );
  }
  await summary.write();
}
