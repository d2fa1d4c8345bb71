import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { REPO_ROOT, runAction, runCli, tempDir, type ActionRun } from './helpers/action.js';
import { extractArchive } from './helpers/archive.js';
import { startGitHubApi, type GitHubApi } from './helpers/github-api.js';
import { fixture } from './helpers/triage-fixtures.js';

/**
 * The sample bot with the pytest-style harness as its tests, and its crash.log moved into the
 * checkout (the sample's frames point at /srv/k98) so the crash can be annotated at a file.
 */
function sampleBot(): string {
  const root = path.join(tempDir('k98-e2e-'), 'k98-bot');
  cpSync(path.join(REPO_ROOT, 'examples/k98-bot'), root, { recursive: true });
  mkdirSync(path.join(root, 'tests'), { recursive: true });
  copyFileSync(fixture('harness', 'run_tests.py'), path.join(root, 'tests/run_tests.py'));
  const crashLog = path.join(root, 'logs/crash.log');
  writeFileSync(crashLog, readFileSync(crashLog, 'utf8').replaceAll('/srv/k98/', `${root}/`));
  return root;
}

const CRASH = 'RuntimeError: queue cache unusable, refusing to post';

describe('triage through the built action', () => {
  let api: GitHubApi;
  let root: string;
  let run: ActionRun;

  before(async () => {
    api = await startGitHubApi('k98', 'bot');
    root = sampleBot();
    run = await runAction({
      inputs: {
        'working-directory': root,
        'smoke-command': 'python3 scripts/smoke_imports.py',
        'test-command': 'python3 tests/run_tests.py --junitxml reports/junit.xml',
        'test-report': 'reports/*.xml',
        upload: 'none',
        'open-issue-on-failure': 'true',
        'github-token': 'ghs_e2etoken',
      },
      env: {
        GITHUB_WORKSPACE: path.dirname(root),
        GITHUB_API_URL: api.url,
        GITHUB_REPOSITORY: 'k98/bot',
        GITHUB_WORKFLOW: 'Health',
        GITHUB_RUN_ID: '4242',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_SERVER_URL: 'https://github.com',
      },
    });
  });
  after(async () => {
    await api.close();
  });

  it('fails the step and sets the triage outputs', () => {
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.outputs['tests-outcome'], 'failure');
    assert.deepEqual(
      [
        run.outputs['tests-passed'],
        run.outputs['tests-failed'],
        run.outputs['tests-skipped'],
        run.outputs['crash-exception'],
      ],
      ['2', '2', '1', CRASH],
    );
  });

  it('writes the job summary with every part that has something to say', () => {
    const summary = run.summary;
    assert.match(summary, /^\*\*❌ Failed:\*\* Tests failed: 2 of 5 failed \(exit 1\)\.$/m);
    const headings = summary.match(/^### .*$/gm);
    assert.deepEqual(headings, [
      '### Commands',
      '### Tests',
      '### Crash',
      '### Errors',
      '### Last shutdown',
      '### Bundle',
    ]);
    assert.match(summary, /\*\*tests\.run\\_tests::test\\_pop\\_missing\\_id\*\* failed at /);
    assert.match(summary, /`tests\/run_tests\.py:32`: `KeyError: 'queue_message_id'`/);
    assert.ok(summary.includes(`Newest traceback in crash.log: \`${CRASH}\``));
    assert.match(summary, /\| reason \| crash \| crash \|/);
    assert.match(summary, /^Not uploaded\.$/m);
  });

  it('annotates both failing tests and the crash, at their files and lines', () => {
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error '));
    const tests = errors.filter((line) => line.includes('title=Test failed'));
    assert.deepEqual(
      tests.map((line) => /,file=([^,]+),line=(\d+)::/.exec(line)?.slice(1)),
      [
        ['k98-bot/tests/run_tests.py', '32'],
        ['k98-bot/tests/run_tests.py', '37'],
      ],
    );
    const crash = errors.find((line) => line.includes('title=Crash in crash.log'));
    assert.match(crash ?? '', /,file=k98-bot\/bot\/tasks\.py,line=52::RuntimeError: queue cache/);
  });

  it('puts the summary and the test report into the bundle', () => {
    const bundle = extractArchive(run.outputs['archive-path'] ?? '');
    const summary = readFileSync(path.join(bundle, 'meta/summary.md'), 'utf8');
    assert.match(summary, /### Tests\n\n\*\*2 passed, 2 failed, 1 skipped, 0 errors\*\*/);
    assert.doesNotMatch(summary, /### Bundle/);
    assert.equal(
      readFileSync(path.join(bundle, 'meta/tests/junit.xml'), 'utf8'),
      readFileSync(path.join(root, 'reports/junit.xml'), 'utf8'),
    );
  });

  it('opens the incident issue for the failing health check', () => {
    assert.deepEqual(
      api.issues.map((issue) => [issue.title, issue.labels]),
      [['Health check failing: Health', ['diagnostics']]],
    );
    assert.match(api.issues[0]?.body ?? '', /actions\/runs\/4242/);
    // The token authenticates the requests and appears nowhere in what they carry.
    assert.equal(api.requests[0]?.authorization, 'token ghs_e2etoken');
    assert.ok(!JSON.stringify(api.requests.map((request) => request.body)).includes('ghs_e2e'));
  });
});

describe('pytest run by the action', () => {
  it('adds --junitxml to a pytest command and reads the report it writes', async () => {
    const root = tempDir('k98-pytest-');
    cpSync(fixture('sources', 'pytest-project'), root, { recursive: true });
    // Debian's pytest for the system python (installed by .ci/install-system.sh).
    const run = await runAction({
      inputs: {
        'working-directory': root,
        'smoke-command': '',
        'test-command': '/usr/bin/python3 -m pytest -p no:cacheprovider tests/test_queue.py',
        upload: 'none',
      },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(
      [run.outputs['tests-passed'], run.outputs['tests-failed'], run.outputs['tests-skipped']],
      ['2', '3', '1'],
    );
    const bundle = extractArchive(run.outputs['archive-path'] ?? '');
    const commands = JSON.parse(readFileSync(path.join(bundle, 'meta/commands.json'), 'utf8'));
    assert.match(
      JSON.stringify(commands),
      /-m pytest --junitxml=\S+junit\.xml -p no:cacheprovider/,
    );
    assert.match(readFileSync(path.join(bundle, 'meta/tests/junit.xml'), 'utf8'), /<testsuites>/);
  });
});

describe('the CLI', () => {
  it('prints the plain-text summary at the end of a run', async () => {
    const root = sampleBot();
    copyFileSync(
      fixture('sources', 'pytest-project', 'tests', 'test_queue.py'),
      path.join(root, 'tests/test_queue.py'),
    );
    const run = await runCli([
      'collect',
      '-C',
      root,
      '--test-command',
      '/usr/bin/python3 -m pytest -p no:cacheprovider tests/test_queue.py',
      '-o',
      path.join(tempDir(), 'bundle.tar.gz'),
    ]);
    assert.match(run.stdout, /^❌ Failed: Tests failed: 2 of 6 failed, 1 error \(exit 1\)\.$/m);
    assert.match(run.stdout, /^== Crash$/m);
    assert.ok(run.stdout.includes(`Newest traceback in crash.log: ${CRASH}`));
    assert.doesNotMatch(run.stdout, /^::error/m);
  });
});
