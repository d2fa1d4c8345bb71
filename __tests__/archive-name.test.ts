import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { archiveFileName, reserveArchivePath } from '../src/pack/archive-name.js';
import { tempDir } from './helpers/action.js';

const WHEN = new Date('2026-11-30T21:04:05.123Z');

describe('archive names', () => {
  it('inside Actions names job, run, attempt, time and a random suffix', () => {
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_JOB: 'health check',
      GITHUB_RUN_ID: '987654',
      GITHUB_RUN_ATTEMPT: '2',
    };
    const name = archiveFileName(env, WHEN);
    assert.match(
      name,
      /^k98-diagnostics-health_check-987654-2-20261130T210405Z-[0-9a-f]{4}\.tar\.gz$/,
    );
    const others = new Set(Array.from({ length: 20 }, () => archiveFileName(env, WHEN)));
    assert.ok(others.size > 1, 'matrix legs at the same second get different names');
  });

  it('outside Actions uses the runbook name in the current directory', () => {
    assert.equal(archiveFileName({}, WHEN), 'k98-diagnostics-20261130T210405Z.tar.gz');
    const cwd = tempDir();
    const reserved = reserveArchivePath('', {}, cwd);
    assert.match(
      reserved,
      new RegExp(`^${cwd}/k98-diagnostics-\\d{8}T\\d{6}Z(-\\d+)?\\.tar\\.gz$`),
    );
    assert.ok(existsSync(reserved), 'the path is reserved');
  });

  it('never hands out a path twice and never reuses an existing file', () => {
    const dir = tempDir();
    const first = reserveArchivePath(`${dir}/`, {}, '/');
    const second = reserveArchivePath(`${dir}/`, {}, '/');
    assert.notEqual(first, second);
    assert.equal(path.dirname(second), dir);
    const file = path.join(dir, 'sub', 'bundle.tar.gz');
    assert.equal(reserveArchivePath(file, {}, '/'), file);
    writeFileSync(path.join(dir, 'taken.tar.gz'), 'keep');
    assert.throws(() => reserveArchivePath(path.join(dir, 'taken.tar.gz'), {}, '/'), /EEXIST/);
    // A file where the directory should be: an error at once, not an endless search for a name.
    assert.throws(() => reserveArchivePath(path.join(dir, 'taken.tar.gz/'), {}, '/'), /EEXIST/);
    const runnerTemp = tempDir();
    const env = { GITHUB_ACTIONS: 'true', RUNNER_TEMP: runnerTemp };
    assert.equal(path.dirname(reserveArchivePath('', env, '/')), runnerTemp);
  });
});
