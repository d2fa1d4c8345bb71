import * as core from '@actions/core';

import { INPUT_DEFAULTS, type InputName } from './inputs/definitions.js';
import { readInputs } from './inputs/read.js';

/** The main step: run the checks, collect, pack, upload, report. */
export async function runMain(): Promise<void> {
  const inputs = readInputs((name: InputName) => core.getInput(name), process.env);
  core.info(`Working directory: ${inputs.workingDirectory}`);
  void INPUT_DEFAULTS;
  // TODO: the pipeline is being written.
}
