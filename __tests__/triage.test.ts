import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { emitAnnotations } from '../src/report/annotations.js';
import { summarizeErrorLog } from '../src/report/error-log.js';
import { triageOutputs } from '../src/report/outputs-triage.js';
import { readShutdownInfo } from '../src/report/shutdown.js';
import { buildTriage, type Triage } from '../src/report/triage.js';
import { tempDir } from './helpers/action.js';
import { recordingReporter } from './helpers/reporter.js';
import {
  botTree,
  fixture,
  FIXTURE_CHECKOUT,
  PLANTED_SECRET,
  testScrub,
} from './helpers/triage-fixtures.js';

const errorLogText = (): string => readFileSync(fixture('error-log', 'error_log.tail.txt'), 'utf8');

describe('summarizeErrorLog', () => {
  it('counts records by level and keeps the last five errors', () => {
    const summary = summarizeErrorLog(errorLogText());
    assert.deepEqual(
      [summary.error, summary.critical, summary.warning, summary.lines],
      [5, 1, 3, 14],
    );
    assert.deepEqual(
      summary.lastErrors.map((line) => line.slice(24, 60)),
      [
        '[ERROR] bot.queue: Unhandled excepti',
        '[ERROR] bot.queue: Dropping message ',
        '[ERROR] bot.storage: Could not save ',
        '[CRITICAL] bot.watchdog: Bot unrespo',
        '[ERROR] bot.main: Shutdown requested',
      ],
    );
  });

  it('reads CRLF text the same, and does not count traceback lines under a record', () => {
    const crlf = summarizeErrorLog(errorLogText().replace(/\n/g, '\r\n'));
    assert.deepEqual(crlf, summarizeErrorLog(errorLogText()));
    assert.ok(crlf.lastErrors.every((line) => !line.includes('\r')));
    const tracebackOnly = summarizeErrorLog('Traceback (most recent call last):\nKeyError: 1\n');
    assert.equal(tracebackOnly.error, 0);
  });

  it('says zero for an empty excerpt', () => {
    assert.deepEqual(summarizeErrorLog(''), {
      error: 0,
      critical: 0,
      warning: 0,
      lastErrors: [],
      lines: 0,
    });
  });
});

describe('readShutdownInfo', () => {
  it('reads both files, upper case in DATA_DIR and lower case in LOG_DIR', async () => {
    const tree = botTree({
      files: {
        'data/LAST_SHUTDOWN_INFO.json': '{"reason":"watchdog restart","pending":{"queue":3}}',
        'logs/last_shutdown_info.json': '{"reason":"SIGTERM","note":"line one\\nline two"}',
      },
    });
    const infos = await readShutdownInfo(tree.logDir, tree.dataDir, testScrub);
    assert.deepEqual(
      infos.map((info) => [info.label, info.fields, info.problem]),
      [
        [
          'files/data/LAST_SHUTDOWN_INFO.json',
          [
            ['reason', 'watchdog restart'],
            ['pending.queue', '3'],
          ],
          null,
        ],
        [
          'files/logs/last_shutdown_info.json',
          [
            ['reason', 'SIGTERM'],
            ['note', 'line one line two'],
          ],
          null,
        ],
      ],
    );
  });

  it('notes a file that is not JSON, and reads a file once when LOG_DIR = DATA_DIR', async () => {
    const tree = botTree({ files: { 'logs/last_shutdown_info.json': '{"reason": "SIGTE' } });
    const [broken] = await readShutdownInfo(tree.logDir, tree.logDir, testScrub);
    assert.equal(broken?.label, 'files/data/last_shutdown_info.json');
    assert.match(broken?.problem ?? '', /^not readable: .*JSON/);
    assert.equal((await readShutdownInfo(tree.logDir, tree.logDir, testScrub)).length, 1);
    assert.deepEqual(await readShutdownInfo(tree.dataDir, tree.dataDir, testScrub), []);
  });

  it("scrubs a field whole before cutting it, and leaves a link in a file's place", async () => {
    const secret = 'EnvSecretValue_abcdefghijklmnopqrstuvwxyz';
    const reason = `${'z'.repeat(100)} ${secret}`;
    const tree = botTree({ files: { 'data/LAST_SHUTDOWN_INFO.json': JSON.stringify({ reason }) } });
    const scrub = (text: string) => text.split(secret).join('[REDACTED]');
    const [info] = await readShutdownInfo(tree.logDir, tree.dataDir, scrub);
    assert.equal(info?.fields[0]?.[1], `${'z'.repeat(100)} [REDACTED]`);

    const elsewhere = tempDir();
    writeFileSync(path.join(elsewhere, 'info.json'), '{"reason": "not ours"}');
    const linked = botTree({});
    symlinkSync(
      path.join(elsewhere, 'info.json'),
      path.join(linked.logDir, 'last_shutdown_info.json'),
    );
    assert.deepEqual(await readShutdownInfo(linked.logDir, linked.dataDir, testScrub), []);
  });
});

describe('buildTriage', () => {
  it('reads every part, and notes what it could not read without failing', async () => {
    const tree = botTree({ crashLog: 'logger-exception.log' });
    writeFileSync(path.join(tree.root, 'report.xml'), '<testsuite><testcase name="x">');
    const triage = await buildTriage({
      logDir: tree.logDir,
      dataDir: tree.dataDir,
      workingDirectory: tree.root,
      junitFiles: ['report.xml', fixture('junit', 'pytest-failures.xml')],
      errorLogTailText: errorLogText(),
      scrub: testScrub,
    });
    assert.equal(triage.tests?.failed, 2);
    assert.match(triage.tests?.problems[0] ?? '', /^report\.xml: not a readable JUnit report/);
    assert.equal(triage.crash?.exception, "KeyError: 'queue_message_id'");
    assert.equal(triage.errorLog?.error, 5);
    assert.deepEqual(triage.shutdown, []);
    assert.deepEqual(triage.problems, []);

    const empty = await buildTriage({
      logDir: path.join(tree.root, 'missing'),
      dataDir: path.join(tree.root, 'missing'),
      workingDirectory: tree.root,
      junitFiles: [],
      errorLogTailText: null,
      scrub: testScrub,
    });
    assert.deepEqual(empty, {
      tests: null,
      crash: null,
      errorLog: null,
      shutdown: [],
      problems: [],
    });
  });
});

async function triageWith(failures: number): Promise<Triage> {
  const tree = botTree({ crashLog: 'chained.log' });
  const triage = await buildTriage({
    logDir: tree.logDir,
    dataDir: tree.dataDir,
    workingDirectory: FIXTURE_CHECKOUT,
    junitFiles: [fixture('junit', 'pytest-failures.xml')],
    errorLogTailText: null,
    scrub: testScrub,
  });
  const tests = triage.tests;
  assert.ok(tests);
  const template = tests.failures[0];
  assert.ok(template);
  tests.failures = Array.from({ length: failures }, (_, index) => ({
    ...template,
    name: `test_${index}`,
    line: index + 1,
  }));
  return triage;
}

describe('emitAnnotations', () => {
  it('annotates the crash at its innermost frame in the checkout, then each test', async () => {
    const { reporter, lines } = recordingReporter();
    const triage = await triageWith(2);
    triage.tests!.failures[1]!.message = `token ${PLANTED_SECRET}`;
    emitAnnotations(triage, FIXTURE_CHECKOUT, reporter, {
      workspace: path.dirname(FIXTURE_CHECKOUT),
      scrub: testScrub,
    });
    assert.deepEqual(lines, [
      {
        level: 'error',
        message:
          'OSError: [Errno 28] No space left on device ' +
          '(2026-11-30 21:04:05,123 [ERROR] bot.runner: Could not save the command cache)',
        properties: { title: 'Crash in crash.log', file: 'k98-bot/bot/store.py', startLine: 16 },
      },
      {
        level: 'error',
        message: "KeyError: 'queue_message_id'",
        properties: {
          title: 'Test failed: tests.test_queue::test_0',
          file: 'k98-bot/tests/test_queue.py',
          startLine: 1,
        },
      },
      {
        level: 'error',
        message: 'token [REDACTED]',
        properties: {
          title: 'Test failed: tests.test_queue::test_1',
          file: 'k98-bot/tests/test_queue.py',
          startLine: 2,
        },
      },
    ]);
  });

  it('stops at nine errors and sums up the rest in one warning', async () => {
    const { reporter, lines } = recordingReporter();
    emitAnnotations(await triageWith(25), FIXTURE_CHECKOUT, reporter, {
      workspace: FIXTURE_CHECKOUT,
    });
    const errors = lines.filter((line) => line.level === 'error');
    assert.equal(errors.length, 9);
    assert.equal(errors[0]?.properties?.title, 'Crash in crash.log');
    assert.equal(errors[1]?.properties?.file, 'tests/test_queue.py');
    assert.deepEqual(
      lines.filter((line) => line.level === 'warning').map((line) => line.message),
      ['17 more failing tests not annotated: see the job summary.'],
    );
    assert.equal(lines.length, 10);
  });

  it('says nothing when nothing failed', () => {
    const { reporter, lines } = recordingReporter();
    const quiet: Triage = { tests: null, crash: null, errorLog: null, shutdown: [], problems: [] };
    emitAnnotations(quiet, FIXTURE_CHECKOUT, reporter, { workspace: FIXTURE_CHECKOUT });
    assert.deepEqual(lines, []);
  });
});

describe('triageOutputs', () => {
  it('sets the test counts and the crash exception', async () => {
    assert.deepEqual(triageOutputs(await triageWith(3)), {
      'tests-passed': '2',
      'tests-failed': '3',
      'tests-skipped': '1',
      'crash-exception': 'OSError: [Errno 28] No space left on device',
    });
  });

  it('leaves every output empty when there is no report and no crash', () => {
    const none: Triage = { tests: null, crash: null, errorLog: null, shutdown: [], problems: [] };
    assert.deepEqual(triageOutputs(none), {
      'tests-passed': '',
      'tests-failed': '',
      'tests-skipped': '',
      'crash-exception': '',
    });
  });
});
