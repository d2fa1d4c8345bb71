import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import os from 'node:os';

import { findOnPath } from '../run/shell.js';

/** meta/system_info.json: what machine this was, and which GitHub run when in Actions. */
export async function systemInfo(
  workingDirectory: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, unknown>> {
  return {
    timestamp: new Date().toISOString(),
    os: { platform: os.platform(), release: os.release(), type: os.type() },
    arch: os.arch(),
    hostname: os.hostname(),
    cpu_count: os.availableParallelism(),
    memory_total_bytes: os.totalmem(),
    memory_free_bytes: os.freemem(),
    disk_free_bytes: await freeDisk(workingDirectory),
    node_version: process.version,
    python_version: await takePythonProbe(),
    cwd: workingDirectory,
    github: githubContext(env),
  };
}

async function freeDisk(directory: string): Promise<number | null> {
  try {
    const stats = await statfs(directory);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** The probe started by startPythonProbe(), taken once. */
let startedProbe: Promise<string | null> | null = null;

/**
 * Asks the interpreter for its version now, while the run starts up, so that the answer is
 * there when meta/system_info.json is made: behind a version manager's shim (pyenv) the
 * question takes 100 ms or more, which collection would otherwise spend waiting.
 */
export function startPythonProbe(): void {
  startedProbe ??= pythonVersion();
}

function takePythonProbe(): Promise<string | null> {
  const probe = startedProbe ?? pythonVersion();
  startedProbe = null;
  return probe;
}

/** `python --version` of the first interpreter found, or null. */
async function pythonVersion(): Promise<string | null> {
  for (const name of ['python3', 'python']) {
    const file = findOnPath(name);
    if (!file) continue;
    const version = await new Promise<string | null>((resolve) => {
      execFile(file, ['--version'], { timeout: 5000 }, (error, stdout, stderr) =>
        resolve(error ? null : `${stdout}${stderr}`.trim()),
      );
    });
    if (version) return version;
  }
  return null;
}

function githubContext(env: NodeJS.ProcessEnv): Record<string, string> | null {
  if (!env.GITHUB_ACTIONS && !env.GITHUB_RUN_ID) return null;
  const fields: Record<string, string | undefined> = {
    repository: env.GITHUB_REPOSITORY,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    workflow: env.GITHUB_WORKFLOW,
    run_id: env.GITHUB_RUN_ID,
    run_attempt: env.GITHUB_RUN_ATTEMPT,
    job: env.GITHUB_JOB,
    runner_name: env.RUNNER_NAME,
    runner_os: env.RUNNER_OS,
    event_name: env.GITHUB_EVENT_NAME,
  };
  return Object.fromEntries(
    Object.entries(fields).filter((field): field is [string, string] => Boolean(field[1])),
  );
}
