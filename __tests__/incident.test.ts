import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IncidentSettings } from '../src/inputs/read.js';
import { syncIncidentIssue } from '../src/report/incident.js';
import type { SummaryData } from '../src/report/summary.js';
import { buildTriage } from '../src/report/triage.js';
import { startGitHubApi, type GitHubApi } from './helpers/github-api.js';
import { recordingReporter } from './helpers/reporter.js';
import {
  botTree,
  commandRecord,
  fixture,
  PLANTED_SECRET,
  testScrub,
} from './helpers/triage-fixtures.js';

const TITLE = 'Health check failing: Scheduled health';
const TOKEN = 'ghs_incidenttesttoken';

let api: GitHubApi;
before(async () => {
  api = await startGitHubApi('k98', 'bot');
});
after(async () => {
  await api.close();
});
beforeEach(() => {
  api.issues.length = 0;
  api.requests.length = 0;
  api.failWith = null;
  api.pageSize = 30;
});

function env(runId: string): NodeJS.ProcessEnv {
  return {
    GITHUB_API_URL: api.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'k98/bot',
    GITHUB_WORKFLOW: 'Scheduled health',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
  };
}

const settings: IncidentSettings = {
  openOnFailure: true,
  closeOnSuccess: true,
  token: TOKEN,
  labels: ['diagnostics', 'health'],
};

async function failingRun(): Promise<SummaryData> {
  const tree = botTree({ crashLog: 'logger-exception.log' });
  const triage = await buildTriage({
    logDir: tree.logDir,
    dataDir: tree.dataDir,
    workingDirectory: tree.root,
    junitFiles: [fixture('junit', 'pytest-failures.xml')],
    errorLogTailText: null,
    scrub: testScrub,
  });
  return {
    commands: [
      commandRecord({
        name: 'smoke',
        outcome: 'failure',
        exit_code: 1,
        exit_code_meaning: `failed to reach ${PLANTED_SECRET}`,
      }),
      commandRecord({ name: 'tests', outcome: 'failure', exit_code: 1 }),
    ],
    triage,
    bundle: null,
    uploads: [
      {
        destination: 'artifact',
        ok: true,
        location: 'https://github.com/k98/bot/actions/runs/101/artifacts/7',
        outputs: {},
      },
    ],
    scrub: testScrub,
  };
}

function passingRun(): SummaryData {
  return {
    commands: [commandRecord({ name: 'smoke' }), commandRecord({ name: 'tests' })],
    triage: { tests: null, crash: null, errorLog: null, shutdown: [], problems: [] },
    bundle: null,
    uploads: null,
    scrub: testScrub,
  };
}

async function sync(summary: SummaryData, runId: string) {
  const { reporter, lines } = recordingReporter();
  const result = await syncIncidentIssue({
    settings,
    summary,
    failOnNoTests: true,
    env: env(runId),
    reporter,
  });
  return { result, lines };
}

const calls = (): string[] => api.requests.map((request) => `${request.method} ${request.path}`);

describe('incident issue', () => {
  it('opens one issue, comments on it on the next failure, closes it on success', async () => {
    const first = await sync(await failingRun(), '101');
    assert.equal(first.result.action, 'created');
    assert.deepEqual(calls(), ['GET /repos/k98/bot/issues', 'POST /repos/k98/bot/issues']);
    const list = api.requests[0];
    assert.deepEqual(list?.query.labels, 'diagnostics,health');
    assert.equal(list?.query.state, 'open');
    assert.equal(list?.authorization, `token ${TOKEN}`);
    const created = api.requests[1]?.body;
    assert.equal(created?.title, TITLE);
    assert.deepEqual(created?.labels, ['diagnostics', 'health']);
    const body = String(created?.body);
    assert.match(body, /tests failed: 2 of 6 failed, 1 error \(exit 1\)/);
    assert.match(body, /`KeyError: 'queue_message_id'`/);
    assert.match(body, /`tests\.test_queue::test_pop_missing_id`/);
    assert.match(body, /https:\/\/github\.com\/k98\/bot\/actions\/runs\/101\/artifacts\/7/);
    assert.match(body, /\[run 101\]\(https:\/\/github\.com\/k98\/bot\/actions\/runs\/101\)/);

    // Back to back: the listing sees the issue at once, so the second run comments.
    api.requests.length = 0;
    const second = await sync(await failingRun(), '102');
    assert.equal(second.result.action, 'commented');
    assert.equal(second.result.issueNumber, 1);
    assert.deepEqual(calls(), [
      'GET /repos/k98/bot/issues',
      'POST /repos/k98/bot/issues/1/comments',
    ]);
    assert.equal(api.issues.length, 1);
    assert.match(api.issues[0]?.comments[0] ?? '', /actions\/runs\/102/);

    api.requests.length = 0;
    const third = await sync(passingRun(), '103');
    assert.equal(third.result.action, 'closed');
    assert.deepEqual(calls(), [
      'GET /repos/k98/bot/issues',
      'POST /repos/k98/bot/issues/1/comments',
      'PATCH /repos/k98/bot/issues/1',
    ]);
    assert.equal(api.issues[0]?.state, 'closed');
    assert.equal(api.issues[0]?.state_reason, 'completed');
    assert.match(api.issues[0]?.comments[1] ?? '', /Passed.*actions\/runs\/103/);
  });

  it('never lets a scrubbed value into the issue', async () => {
    await sync(await failingRun(), '104');
    await sync(await failingRun(), '105');
    const everything = JSON.stringify(api.requests);
    assert.ok(!everything.includes(PLANTED_SECRET));
    // The value was there to scrub: the smoke check's failure names it.
    assert.match(everything, /failed to reach \[REDACTED\]/);
  });

  it('finds its issue on a later page and ignores pull requests and other titles', async () => {
    api.pageSize = 2;
    const labels = ['diagnostics', 'health'];
    const other = { body: '', state: 'open' as const, labels, comments: [] };
    api.issues.push(
      { ...other, number: 1, title: 'Health check failing: Nightly' },
      { ...other, number: 2, title: TITLE, pull_request: { url: 'x' } },
      { ...other, number: 3, title: 'Flaky test' },
      { ...other, number: 4, title: TITLE },
    );
    const { result } = await sync(await failingRun(), '106');
    assert.equal(result.action, 'commented');
    assert.equal(result.issueNumber, 4);
    assert.equal(calls().filter((call) => call.startsWith('GET')).length, 2);
  });

  it('does nothing on success when no issue is open, and nothing when not enabled', async () => {
    const { result } = await sync(passingRun(), '107');
    assert.equal(result.action, 'none');
    assert.deepEqual(calls(), ['GET /repos/k98/bot/issues']);

    api.requests.length = 0;
    const { reporter } = recordingReporter();
    const off = await syncIncidentIssue({
      settings: { ...settings, openOnFailure: false, closeOnSuccess: false },
      summary: await failingRun(),
      failOnNoTests: true,
      env: env('108'),
      reporter,
    });
    assert.equal(off.action, 'none');
    assert.deepEqual(calls(), []);
  });

  it('turns a 403 into a warning naming issues: write, not a failure', async () => {
    api.failWith = 403;
    const { result, lines } = await sync(await failingRun(), '109');
    assert.equal(result.action, 'none');
    const warnings = lines.filter((line) => line.level === 'warning');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /issues: write/);
    assert.equal(lines.filter((line) => line.level === 'error').length, 0);
  });

  it('warns without a token instead of calling the API', async () => {
    const { reporter, lines } = recordingReporter();
    const result = await syncIncidentIssue({
      settings: { ...settings, token: '' },
      summary: await failingRun(),
      failOnNoTests: true,
      env: env('110'),
      reporter,
    });
    assert.equal(result.action, 'none');
    assert.deepEqual(calls(), []);
    assert.match(lines[0]?.message ?? '', /github-token/);
  });
});
