import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { archiveFileName, archivePathFor } from '../src/pack/archive-name.js';
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
    assert.match(
      archivePathFor('', {}, cwd),
      new RegExp(`^${cwd}/k98-diagnostics-\\d{8}T\\d{6}Z\\.tar\\.gz$`),
    );
  });

  it('puts the default name inside an output directory, and uses a file path as given', () => {
    const dir = tempDir();
    assert.equal(path.dirname(archivePathFor(dir, {}, '/')), dir);
    assert.equal(path.dirname(archivePathFor('/tmp/new-dir/', {}, '/')), '/tmp/new-dir');
    assert.equal(archivePathFor('/tmp/x/bundle.tar.gz', {}, '/'), '/tmp/x/bundle.tar.gz');
    const env = { GITHUB_ACTIONS: 'true', RUNNER_TEMP: '/runner/tmp' };
    assert.equal(path.dirname(archivePathFor('', env, '/')), '/runner/tmp');
  });
});
