import * as core from '@actions/core';

import { startPythonProbe } from './collect/system-info.js';
import { errorMessage } from './errors.js';
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
import { emitAnnotations } from './report/annotations.js';
import { syncIncidentIssue } from './report/incident.js';
import { triageOutputs } from './report/outputs-triage.js';
import { scrubbingReporter, type Reporter } from './report/reporter.js';
import { pipelineOutputs } from './report/outputs.js';
import { failureReasons } from './report/step-result.js';
import { renderSummary } from './report/summary.js';
import { describeTestReport, TriageRun } from './report/triage-run.js';
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
  startPythonProbe();
  const redactor = prepareSecrets(inputs, env, actionReporter);
  const scrub = (text: string): string => redactor.scrubText(text);
  const reporter = scrubbingReporter(actionReporter, scrub);
  core.saveState(STATE.mainStarted, 'true');

  const cancellation = watchForCancellation((signal) =>
    reporter.warning(`Received ${signal}: stopping the commands and collecting diagnostics`),
  );
  const workDir = await makeWorkDir(env);
  const triageRun = TriageRun.plan(inputs, workDir, scrub);
  describeTestReport(triageRun, inputs, reporter);
  let result: PipelineResult;
  try {
    result = await runPipeline(
      {
        inputs: { ...inputs, testCommand: triageRun.testCommand },
        env,
        reporter,
        cancel: cancellation.signal,
        live: (chunk) => process.stdout.write(chunk),
        workDir,
        redactor,
        onArchiveReserved: (archivePath) => core.saveState(STATE.archiveReserved, archivePath),
        postStepUploads: true,
      },
      {
        onArchive: (bundle) => core.saveState(STATE.archivePath, bundle.archivePath),
        additions: triageRun.additions,
      },
    );
  } finally {
    cancellation.dispose();
    await removeWorkDir(workDir);
  }

  if (!result.cancelled) core.saveState(STATE.uploadsDone, 'true');
  const outputs = { ...pipelineOutputs(result), ...triageOutputs(triageRun.triage, scrub) };
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value);
  }

  // Cancelled: the uploads are left to the post step, so the summary names none yet.
  const summary = triageRun.summaryData(
    result.commands,
    result,
    result.cancelled ? null : result.uploads,
  );
  await writeJobSummary(renderSummary(summary), reporter);
  emitAnnotations(triageRun.triage, inputs.workingDirectory, reporter, { scrub });
  await syncIncidentIssue({
    settings: inputs.incident,
    summary,
    failOnNoTests: inputs.failOnNoTests,
    env,
    reporter,
  });

  const reasons = failureReasons(result, inputs);
  if (reasons.length > 0) core.setFailed(reasons.join('; '));
}

/** A summary that cannot be written (no GITHUB_STEP_SUMMARY) is a warning, not a failure. */
async function writeJobSummary(markdown: string, reporter: Reporter): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    reporter.warning(`Could not write the job summary: ${errorMessage(error)}`);
  }
}
