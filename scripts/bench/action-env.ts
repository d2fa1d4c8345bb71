/**
 * The environment the runner gives the action: inputs as INPUT_* variables and the files for
 * outputs, state and summary. The bench process's own INPUT_/GITHUB_/ACTIONS_ variables are
 * dropped so nothing leaks in.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { inputVariable, type InputName } from '../../src/inputs/definitions.js';

export function actionEnv(
  runnerDir: string,
  inputs: Partial<Record<InputName, string>>,
): NodeJS.ProcessEnv {
  mkdirSync(runnerDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(INPUT_|STATE_|GITHUB_|ACTIONS_)/.test(name)) continue;
    env[name] = value;
  }
  for (const file of ['output', 'state', 'summary']) {
    writeFileSync(path.join(runnerDir, file), '');
  }
  Object.assign(env, {
    GITHUB_OUTPUT: path.join(runnerDir, 'output'),
    GITHUB_STATE: path.join(runnerDir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(runnerDir, 'summary'),
    RUNNER_TEMP: runnerDir,
  });
  for (const [name, value] of Object.entries(inputs)) {
    env[inputVariable(name as InputName)] = value;
  }
  return env;
}

/** Inputs for a bundle of everything under `tree`, caps raised so nothing is cut. */
export function fullBundleInputs(tree: string, output: string): Partial<Record<InputName, string>> {
  return {
    'working-directory': tree,
    'log-dir': path.join(tree, 'logs'),
    'data-dir': path.join(tree, 'data'),
    'include-logs': 'true',
    'run-commands': 'false',
    upload: 'none',
    'max-file-size': '64GiB',
    'max-bundle-size': '64GiB',
    output: `${output}/`,
  };
}
