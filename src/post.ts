import { existsSync, renameSync } from 'node:fs';

import * as core from '@actions/core';

import { errorMessage } from './errors.js';
import { inputVariable } from './inputs/definitions.js';
import { readInputs, type Inputs } from './inputs/read.js';
import {
  makeWorkDir,
  prepareSecrets,
  removeWorkDir,
  runPipeline,
  type PipelineResult,
} from './pipeline.js';
import { actionReporter } from './report/action-reporter.js';
import { scrubbingReporter, type Reporter } from './report/reporter.js';
import { skippedRecord, type CommandRecord } from './run/outcome.js';
import { STATE } from './state.js';
import { uploadExistingArchive, uploadsFailed } from './upload/index.js';

/**
 * The post step (`post-if: always()`): when the main step was cancelled or killed before it
 * finished its uploads, upload the archive it left, or collect one first if it left none.
 */
export async function runPost(): Promise<void> {
  if (core.getState(STATE.mainStarted) !== 'true') {
    core.info('Post: the main step did not start (see its error above); nothing to do.');
    return;
  }
  if (core.getState(STATE.uploadsDone) === 'true') {
    core.info('Post: the main step finished its uploads; nothing to do.');
    return;
  }
  setAsideIncompleteArchive();

  const env = process.env;
  const inputs = readInputs(
    (name) => (env[inputVariable(name)] === undefined ? undefined : core.getInput(name)),
    env,
  );
  const redactor = prepareSecrets(inputs, env, actionReporter);
  const reporter = scrubbingReporter(actionReporter, (text) => redactor.scrubText(text));
  if (inputs.upload.destinations.length === 0) {
    core.info(`Post: no upload destination; the archive stays at ${archiveLeft() || 'nowhere'}.`);
    return;
  }

  const archive = archiveLeft();
  const result = archive
    ? await uploadLeftArchive(archive, inputs, reporter)
    : await collectAndUpload(inputs, reporter, redactor);
  if (!result.bundle && !archive) {
    core.setFailed(`Post: no diagnostics archive: ${result.bundleError ?? 'unknown error'}`);
  } else if (uploadsFailed(result.uploads, inputs.upload.explicit)) {
    const failed = result.uploads
      .filter((upload) => !upload.ok)
      .map((upload) => upload.destination);
    const kept = archive || result.bundle?.archivePath;
    core.setFailed(`Post: upload failed: ${failed.join(', ')} (the archive is kept at ${kept})`);
  }
}

/**
 * The main step was killed (SIGKILL gives it no chance to clean up) while it wrote its
 * archive: the file under the archive's name is cut short. It is renamed `….partial`, so a
 * later step that uploads `*.tar.gz` does not take it for a bundle.
 */
function setAsideIncompleteArchive(): void {
  const reserved = core.getState(STATE.archiveReserved);
  if (!reserved || core.getState(STATE.archivePath) || !existsSync(reserved)) return;

  const partial = `${reserved}.partial`;
  try {
    if (existsSync(partial)) throw new Error(`${partial} exists`);
    renameSync(reserved, partial);
    core.warning(
      `Post: the main step was stopped while writing ${reserved}; the incomplete file is ` +
        `now ${partial}`,
    );
  } catch (error) {
    core.warning(
      `Post: the main step was stopped while writing ${reserved}, which is incomplete ` +
        `(not renamed: ${errorMessage(error)})`,
    );
  }
}

function archiveLeft(): string {
  const archive = core.getState(STATE.archivePath);
  return archive && existsSync(archive) ? archive : '';
}

async function uploadLeftArchive(
  archivePath: string,
  inputs: Inputs,
  reporter: Reporter,
): Promise<PipelineResult> {
  reporter.info(`Post: uploading the archive the main step left: ${archivePath}`);
  const uploads = await uploadExistingArchive(archivePath, inputs.upload, reporter, process.env);
  return { commands: [], bundle: null, bundleError: null, uploads, cancelled: false };
}

/** The main step was killed before it wrote an archive: collect one now, running nothing. */
async function collectAndUpload(
  inputs: Inputs,
  reporter: Reporter,
  redactor: ReturnType<typeof prepareSecrets>,
): Promise<PipelineResult> {
  reporter.info('Post: the main step left no archive; collecting one now');
  const workDir = await makeWorkDir(process.env);
  try {
    return await runPipeline(
      {
        inputs,
        env: process.env,
        reporter,
        cancel: new AbortController().signal,
        live: (chunk) => process.stdout.write(chunk),
        workDir,
        redactor,
      },
      { commands: interruptedCommands(inputs) },
    );
  } finally {
    await removeWorkDir(workDir);
  }
}

/** What is known of commands the main step was killed in the middle of. */
function interruptedCommands(inputs: Inputs): CommandRecord[] {
  const commands: Array<['smoke' | 'tests', string]> = [
    ['smoke', inputs.smokeCommand],
    ['tests', inputs.testCommand],
  ];
  return commands.map(([name, command]) => {
    const record = skippedRecord(name, command, inputs.workingDirectory);
    if (inputs.runCommands && command) {
      record.outcome = 'cancelled';
      record.exit_code_meaning = 'the main step was stopped before it recorded this command';
    }
    return record;
  });
}
