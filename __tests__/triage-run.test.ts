import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readInputs, type Inputs } from '../src/inputs/read.js';
import { TriageRun } from '../src/report/triage-run.js';
import { tempDir } from './helpers/action.js';
import { botTree, commandRecord, fixture, testScrub } from './helpers/triage-fixtures.js';

function inputsFor(root: string, given: Record<string, string>): Inputs {
  const raw: Record<string, string> = { 'working-directory': root, ...given };
  return readInputs((name) => raw[name], {});
}

const failedTests = [commandRecord({ name: 'tests', outcome: 'failure', exit_code: 1 })];

describe('TriageRun', () => {
  it('asks pytest for a report in the scratch directory unless test-report is set', () => {
    const { root } = botTree();
    const workDir = tempDir();
    const own = TriageRun.plan(
      inputsFor(root, { 'test-command': 'python -m pytest -q' }),
      workDir,
      testScrub,
    );
    assert.equal(own.testCommand, `python -m pytest --junitxml=${workDir}/junit.xml -q`);

    const given = TriageRun.plan(
      inputsFor(root, { 'test-command': 'python -m pytest -q', 'test-report': 'out/*.xml' }),
      workDir,
      testScrub,
    );
    assert.equal(given.testCommand, 'python -m pytest -q');
  });

  it('adds every report under its own name, and the summary, to the bundle', async () => {
    const { root } = botTree({ crashLog: 'chained.log' });
    for (const dir of ['reports/unit', 'reports/integration']) {
      mkdirSync(path.join(root, dir), { recursive: true });
      copyFileSync(fixture('junit', 'pytest-failures.xml'), path.join(root, dir, 'junit.xml'));
    }
    const staging = tempDir();
    mkdirSync(path.join(staging, 'meta'));
    copyFileSync(
      fixture('error-log', 'error_log.tail.txt'),
      path.join(staging, 'meta/error_log.txt.tail.txt'),
    );

    const run = TriageRun.plan(
      inputsFor(root, { 'test-report': 'reports/**/*.xml' }),
      tempDir(),
      testScrub,
    );
    const additions = await run.additions(staging, failedTests);
    assert.deepEqual(
      additions.map((addition) => addition.archivePath),
      ['meta/tests/junit.xml', 'meta/tests/2-junit.xml', 'meta/summary.md'],
    );
    assert.deepEqual(additions[0]?.content, readFileSync(fixture('junit', 'pytest-failures.xml')));
    assert.equal(run.triage.tests?.failed, 4);
    assert.equal(run.triage.errorLog?.error, 5);
    const summary = String(additions[2]?.content);
    assert.match(summary, /Tests failed: 4 of 12 failed, 2 errors \(exit 1\)/);
    assert.match(summary, /### Errors/);
  });

  it('says when test-report matches nothing, and still adds the summary', async () => {
    const { root } = botTree();
    const run = TriageRun.plan(
      inputsFor(root, { 'test-report': 'nowhere/*.xml' }),
      tempDir(),
      testScrub,
    );
    const additions = await run.additions(tempDir(), failedTests);
    assert.deepEqual(run.triage.problems, ["test-report 'nowhere/*.xml' matched no files"]);
    assert.deepEqual(
      additions.map((addition) => addition.archivePath),
      ['meta/summary.md'],
    );
    assert.match(String(additions[0]?.content), /### Not read\n\n- test-report 'nowhere/);
  });
});
