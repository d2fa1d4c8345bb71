import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function compactTimestamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * The archive's file name. Inside Actions it names the job, run and attempt and ends in four
 * random hex digits, so matrix legs and re-runs never collide (and neither do S3 keys built
 * from it); outside, it is the runbook's `k98-diagnostics-<timestamp>.tar.gz`.
 */
export function archiveFileName(env: NodeJS.ProcessEnv, date = new Date()): string {
  const stamp = compactTimestamp(date);
  if (env.GITHUB_ACTIONS !== 'true') return `k98-diagnostics-${stamp}.tar.gz`;
  const job = safePart(env.GITHUB_JOB || 'job');
  const run = safePart(env.GITHUB_RUN_ID || '0');
  const attempt = safePart(env.GITHUB_RUN_ATTEMPT || '1');
  const suffix = randomBytes(2).toString('hex');
  return `k98-diagnostics-${job}-${run}-${attempt}-${stamp}-${suffix}.tar.gz`;
}

function safePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * Where the archive is written: the `output` input (a directory gets the default name), else
 * RUNNER_TEMP inside Actions, else the current directory.
 */
export function archivePathFor(output: string, env: NodeJS.ProcessEnv, cwd: string): string {
  const name = archiveFileName(env);
  if (output) {
    const isDirectory =
      output.endsWith('/') || (existsSync(output) && statSync(output).isDirectory());
    return isDirectory ? path.join(output, name) : output;
  }
  if (env.GITHUB_ACTIONS === 'true' && env.RUNNER_TEMP) return path.join(env.RUNNER_TEMP, name);
  return path.join(cwd, name);
}
