import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import type { TestFailure } from '../src/report/junit.js';
import { renderPlainSummary, renderSummary, type SummaryData } from '../src/report/summary.js';
import { buildTriage, type Triage } from '../src/report/triage.js';
import {
  botTree,
  commandRecord,
  fixture,
  PLANTED_SECRET,
  testScrub,
} from './helpers/triage-fixtures.js';

/**
 * Compares with the expected file under fixtures/summary/. With UPDATE_GOLDEN=1 the file is
 * rewritten instead (then read the diff before committing it).
 */
function assertGolden(actual: string, name: string): void {
  const file = fixture('summary', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.equal(actual, readFileSync(file, 'utf8'));
}

/** The failing health check every fixture feeds: tests, chained crash, errors, shutdown. */
async function failingTriage(): Promise<Triage> {
  const shutdown = (name: string): string => readFileSync(fixture('shutdown', name), 'utf8');
  const tree = botTree({
    crashLog: 'chained.log',
    files: {
      'data/LAST_SHUTDOWN_INFO.json': shutdown('LAST_SHUTDOWN_INFO.json'),
      'logs/last_shutdown_info.json': shutdown('last_shutdown_info.json'),
    },
  });
  return buildTriage({
    logDir: tree.logDir,
    dataDir: tree.dataDir,
    workingDirectory: tree.root,
    junitFiles: [fixture('junit', 'pytest-failures.xml')],
    errorLogTailText: readFileSync(fixture('error-log', 'error_log.tail.txt'), 'utf8'),
    scrub: testScrub,
  });
}

async function failingRun(): Promise<SummaryData> {
  return {
    commands: [
      commandRecord({ name: 'smoke', duration_ms: 840 }),
      commandRecord({
        name: 'tests',
        outcome: 'failure',
        exit_code: 1,
        exit_code_meaning: 'tests failed',
        duration_ms: 65_432,
      }),
    ],
    triage: await failingTriage(),
    bundle: {
      size: 1_234_567,
      entries: 34,
      truncated: 1,
      leftOut: 2,
      redactions: 5,
      path: '/home/runner/work/_temp/k98-diagnostics-health-101-1-20261130T210400Z-a1b2.tar.gz',
    },
    uploads: [
      {
        destination: 'artifact',
        ok: true,
        location: 'https://github.com/k98/bot/actions/runs/101/artifacts/7',
        outputs: {},
      },
      {
        destination: 's3',
        ok: true,
        location: 's3://k98-diagnostics/ci/k98-diagnostics-health-101-1.tar.gz',
        outputs: {},
        notes: ['Storage class STANDARD_IA.'],
      },
      { destination: 'http', ok: false, error: 'HTTP 503 from the upload endpoint', outputs: {} },
    ],
    scrub: testScrub,
  };
}

const noTriage: Triage = { tests: null, crash: null, errorLog: null, shutdown: [], problems: [] };

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

describe('job summary', () => {
  it('renders a failing run: all seven parts, in order', async () => {
    assertGolden(renderSummary(await failingRun()), 'failing-run.md');
  });

  it('renders the same run as plain text for the CLI', async () => {
    assertGolden(renderPlainSummary(await failingRun()), 'failing-run.txt');
  });

  it('renders a passing run with only what has something to say', () => {
    const summary = renderSummary({
      commands: [commandRecord({ name: 'smoke' }), commandRecord({ name: 'tests' })],
      triage: noTriage,
      bundle: { size: 2048, entries: 12, truncated: 0, leftOut: 0, redactions: 0, path: 'b.tgz' },
      uploads: null,
      scrub: testScrub,
    });
    assertGolden(summary, 'passing-run.md');
  });

  it('leaves destinations out before the upload (meta/summary.md)', async () => {
    const summary = renderSummary({ ...(await failingRun()), uploads: null });
    assert.match(summary, /### Bundle\n\n`[^`]+`: 1\.2 MiB, 34 entries/);
    assert.doesNotMatch(summary, /artifact|upload/i);
  });

  it('names the group a crash was raised in, and its other errors', async () => {
    const tree = botTree({ crashLog: 'task-group.log' });
    const triage = await buildTriage({
      logDir: tree.logDir,
      dataDir: tree.dataDir,
      workingDirectory: tree.root,
      junitFiles: [],
      errorLogTailText: '',
      scrub: testScrub,
    });
    const summary = renderSummary({ ...(await failingRun()), triage });
    assert.match(summary, /Newest traceback in crash\.log: `KeyError: 'queue_message_id'`/);
    assert.match(
      summary,
      new RegExp(
        'Raised in `ExceptionGroup: unhandled errors in a TaskGroup \\(2 sub-exceptions\\)` ' +
          "with `KeyError: 'queue_message_id'`, " +
          '`PermissionError: Missing Permissions: manage_roles`',
      ),
    );
  });

  it('says what failed in the verdict line', () => {
    const verdict = (...commands: ReturnType<typeof commandRecord>[]): string =>
      firstLine(
        renderSummary({
          commands,
          triage: noTriage,
          bundle: null,
          uploads: null,
          scrub: testScrub,
        }),
      );
    assert.equal(
      verdict(
        commandRecord({
          name: 'smoke',
          outcome: 'failure',
          exit_code: 1,
          exit_code_meaning: 'failed',
        }),
        commandRecord({ name: 'tests', outcome: 'skipped', exit_code: null, duration_ms: 0 }),
      ),
      '**❌ Failed:** The smoke check failed (failed, exit 1).',
    );
    assert.equal(
      verdict(
        commandRecord({ name: 'smoke' }),
        commandRecord({
          name: 'tests',
          outcome: 'timed-out',
          exit_code: null,
          duration_ms: 1_800_000,
        }),
      ),
      '**❌ Failed:** The tests timed out after 30 min 0 s.',
    );
    assert.equal(
      verdict(commandRecord({ name: 'tests', outcome: 'cancelled', exit_code: null })),
      '**❌ Failed:** The run was cancelled during the tests.',
    );
    assert.equal(
      verdict(commandRecord({ name: 'tests', outcome: 'no-tests', exit_code: 5 })),
      '**❌ Failed:** The tests collected no tests.',
    );
    assert.equal(verdict(), '**✅ Passed:** No checks ran; diagnostics were collected.');
  });

  it('lists 20 failing tests and counts the rest', async () => {
    const data = await failingRun();
    const tests = data.triage.tests;
    assert.ok(tests);
    const many: TestFailure[] = Array.from({ length: 45 }, (_, index) => ({
      name: `test_case_${index}`,
      classname: 'tests.test_many',
      file: 'tests/test_many.py',
      line: index + 1,
      message: `AssertionError: case ${index}`,
      kind: 'failure',
    }));
    const summary = renderSummary({
      ...data,
      triage: { ...data.triage, tests: { ...tests, failed: 45, errors: 0, failures: many } },
    });
    assert.equal(summary.match(/^- \*\*tests\\_many|^- \*\*tests\.test\\_many/gm)?.length, 20);
    assert.match(summary, /test\\_case\\_19\*\*/);
    assert.doesNotMatch(summary, /test\\_case\\_20\*\*/);
    assert.match(summary, /…and 25 more failing tests\./);
  });

  it('scrubs everything it renders, the plain text too', async () => {
    const data = await failingRun();
    const crash = data.triage.crash;
    assert.ok(crash && data.triage.tests && data.bundle);
    crash.exception = `ConnectionError: https://bot:${PLANTED_SECRET}@db.internal`;
    data.triage.tests.failures[0]!.message = `token=${PLANTED_SECRET}`;
    data.triage.shutdown[0]!.fields.push(['token', PLANTED_SECRET]);
    data.bundle.path = `/tmp/${PLANTED_SECRET}.tar.gz`;
    for (const text of [renderSummary(data), renderPlainSummary(data)]) {
      assert.ok(!text.includes(PLANTED_SECRET));
      // The exception shows twice: in the sentence and at the end of the frames.
      assert.equal(text.match(/REDACTED/g)?.length, 5);
    }
  });

  it('keeps hostile log text inert: no HTML, links or broken fences', async () => {
    const data = await failingRun();
    assert.ok(data.triage.crash && data.triage.tests);
    data.triage.crash.exception = 'Error: <img src=x onerror=alert(1)> ```';
    data.triage.crash.frames.at(-1)!.code = '```\n# Heading [x](https://evil.example)';
    data.triage.tests.failures[0]!.name = '<script>alert(1)</script>](https://evil.example)';
    data.triage.shutdown[0]!.fields.push(['note', 'a | b <b>bold</b>']);
    const summary = renderSummary(data);

    // Outside code, markup is escaped; inside a code span it is shown, never interpreted.
    assert.doesNotMatch(summary, /<script|<b>/);
    assert.ok(summary.includes('&lt;script&gt;alert(1)&lt;/script&gt;\\](https://evil.example)'));
    assert.ok(summary.includes('crash.log: ```` Error: <img src=x onerror=alert(1)> ``` ````\n'));
    assert.match(summary, /\| note \| a \\\| b &lt;b&gt;bold&lt;\/b&gt; \|/);
    // The crash block's fence is longer than any backtick run inside it.
    assert.match(summary, /^````\n[\s\S]*\n````$/m);
  });

  it('stays under the size limit: cut at a line, fence closed, with a note', async () => {
    const data = await failingRun();
    const maxBytes = 2500;
    const full = renderSummary(data);
    assert.ok(Buffer.byteLength(full) > maxBytes);

    const cut = renderSummary(data, { maxBytes });
    assert.ok(Buffer.byteLength(cut) <= maxBytes, `${Buffer.byteLength(cut)} bytes`);
    assert.match(
      cut,
      /_The summary was cut at 2500 bytes \(it had \d+\); the full details are in the bundle\._\n$/,
    );
    // What is kept is the start of the full summary (plus a fence closing a cut code block).
    const kept = cut.slice(0, cut.indexOf('\n\n_The summary was cut'));
    assert.ok(full.startsWith(kept.replace(/\n`{3,}$/, '')));
    assert.ok(kept.length > maxBytes / 2);
    const fences = cut.split('\n').filter((line) => /^`{3,}$/.test(line));
    assert.equal(fences.length % 2, 0, 'every code block is closed');
  });
});
