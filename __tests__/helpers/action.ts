import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ACTION_ENTRY = path.join(REPO_ROOT, 'dist/index.js');
export const CLI_ENTRY = path.join(REPO_ROOT, 'dist/cli/index.js');

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Peak resident memory of the process in bytes (from /usr/bin/time), when measured. */
  peakRssBytes?: number;
}

export interface ActionRunOptions {
  /** Inputs by their action.yml names; passed as INPUT_* variables like the runner does. */
  inputs?: Record<string, string>;
  /** Extra environment; `undefined` values remove a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Saved state from a main run, to run the post step. */
  state?: Record<string, string>;
  /** Called with the child once started (to send it signals). */
  onStart?: (child: import('node:child_process').ChildProcess) => void;
  /** Measure peak memory with /usr/bin/time -v. */
  measureMemory?: boolean;
  entry?: string;
  args?: string[];
}

/** The runner's name for an input's variable. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Runs the built action (dist/index.js) as a real process, the way the runner does: inputs as
 * INPUT_* variables, outputs, state and summary through the files the runner provides.
 */
export async function runAction(options: ActionRunOptions = {}): Promise<ActionRun> {
  const files = tempDir('k98-runner-');
  const outputFile = path.join(files, 'output');
  const stateFile = path.join(files, 'state');
  const summaryFile = path.join(files, 'summary');
  for (const file of [outputFile, stateFile, summaryFile]) writeFileSync(file, '');

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('INPUT_') || name.startsWith('STATE_') || name.startsWith('GITHUB_')) {
      delete env[name];
    }
    if (name.startsWith('ACTIONS_')) delete env[name];
  }
  Object.assign(env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STATE: stateFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: files,
  });
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    env[inputVariable(name)] = value;
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const timeFile = path.join(files, 'time');
  const entry = options.entry ?? ACTION_ENTRY;
  const nodeArgs = [entry, ...(options.args ?? [])];
  const [command, args] = options.measureMemory
    ? ['/usr/bin/time', ['-v', '-o', timeFile, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];

  const child = spawn(command, args, { cwd: options.cwd ?? files, env });
  options.onStart?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );

  const run: ActionRun = {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(outputFile, 'utf8')),
    state: parseCommandFile(readFileSync(stateFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
  if (options.measureMemory) {
    const report = readFileSync(timeFile, 'utf8');
    const kib = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1];
    if (kib) run.peakRssBytes = Number(kib) * 1024;
  }
  return run;
}

/** Runs the CLI bundle (dist/cli/index.js) with arguments. */
export function runCli(args: string[], options: ActionRunOptions = {}): Promise<ActionRun> {
  return runAction({ ...options, entry: CLI_ENTRY, args });
}

/** Parses the `name<<DELIMITER … DELIMITER` format of GITHUB_OUTPUT and GITHUB_STATE. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      index++;
      while (index < lines.length && lines[index] !== delimiter) body.push(lines[index++] ?? '');
      values[name as string] = body.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

const made: string[] = [];

// Each test file runs in its own process: what it made in /tmp goes when that process ends
// (a run of the suite left some 300 directories behind, big logs among them).
process.on('exit', () => {
  for (const directory of made) rmSync(directory, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix = 'k98-test-'): string {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(directory);
  return directory;
}
