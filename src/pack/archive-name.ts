import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';

import { pathTaken } from '../path-taken.js';

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
 * Where the archive is written — the `output` input (a directory gets the default name),
 * else RUNNER_TEMP inside Actions, else the current directory — and reserves that path by
 * creating it empty and exclusively, so no other file is ever replaced: a second archive in
 * the same second (the runbook's name has one-second resolution) gets `-2`, `-3`, ….
 */
export function reserveArchivePath(output: string, env: NodeJS.ProcessEnv, cwd: string): string {
  const name = archiveFileName(env);
  if (output && !isDirectory(output)) {
    reserve(output);
    return output;
  }
  const directory = output || (env.GITHUB_ACTIONS === 'true' && env.RUNNER_TEMP) || cwd;
  const first = path.join(directory, name);
  for (let suffix = 1; ; suffix++) {
    const candidate = suffix === 1 ? first : first.replace(/\.tar\.gz$/, `-${suffix}.tar.gz`);
    try {
      reserve(candidate);
      return candidate;
    } catch (error) {
      // EEXIST also comes from creating the directory when a file stands in its place: only a
      // candidate that exists is a name taken, or the loop would never end.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !pathTaken(candidate)) throw error;
    }
  }
}

function isDirectory(output: string): boolean {
  return output.endsWith('/') || (existsSync(output) && statSync(output).isDirectory());
}

/** Creates the file empty; fails with EEXIST when something is already there. */
function reserve(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  closeSync(openSync(file, 'wx'));
}
