import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readJunitReports, resolveTestReports } from '../src/report/junit.js';
import { addJunitXml } from '../src/run/junit-flag.js';
import { tempDir } from './helpers/action.js';
import { fixture } from './helpers/triage-fixtures.js';

const junit = (name: string): string => fixture('junit', name);

describe('readJunitReports', () => {
  it('counts pytest failures, errors and skips, with file, line and message', async () => {
    const report = await readJunitReports([junit('pytest-failures.xml')]);
    assert.deepEqual(
      { passed: report.passed, failed: report.failed, skipped: report.skipped },
      { passed: 2, failed: 2, skipped: 1 },
    );
    assert.equal(report.errors, 1);
    assert.deepEqual(report.failures, [
      {
        name: 'test_pop_missing_id',
        classname: 'tests.test_queue',
        file: 'tests/test_queue.py',
        line: 14,
        message: "KeyError: 'queue_message_id'",
        kind: 'failure',
      },
      {
        name: 'test_priority_order',
        classname: 'tests.test_queue',
        file: 'tests/test_queue.py',
        line: 18,
        // Entities decoded (&lt; &quot; &amp;), and only the first line of a multi-line message.
        message: 'AssertionError: queue <must> keep "priority" & order',
        kind: 'failure',
      },
      {
        name: 'test_uses_db',
        classname: 'tests.test_queue',
        file: 'tests/test_queue.py',
        line: 28,
        message: 'failed on setup with "ConnectionError: database locked"',
        kind: 'error',
      },
    ]);
    assert.deepEqual(report.problems, []);
  });

  it('reads the same failures from xunit1 (file and 0-based line attributes)', async () => {
    const xunit2 = await readJunitReports([junit('pytest-failures.xml')]);
    const xunit1 = await readJunitReports([junit('pytest-xunit1.xml')]);
    assert.deepEqual(xunit1.failures, xunit2.failures);
  });

  it('names the module and the import error of a collection failure', async () => {
    const report = await readJunitReports([junit('pytest-collection-error.xml')]);
    assert.equal(report.errors, 1);
    assert.deepEqual(report.failures[0], {
      name: 'tests.test_import_error',
      classname: '',
      file: 'tests/test_import_error.py',
      line: 1,
      message: "collection failure: ModuleNotFoundError: No module named 'discord'",
      kind: 'error',
    });
  });

  it('reads an empty suite as zero tests', async () => {
    const report = await readJunitReports([junit('pytest-empty.xml')]);
    assert.deepEqual(
      [report.passed, report.failed, report.skipped, report.errors, report.failures.length],
      [0, 0, 0, 0, 0],
    );
    assert.equal(report.files.length, 1);
  });

  it('adds up files, nested suites and CDATA bodies; notes unreadable ones', async () => {
    const broken = path.join(tempDir(), 'broken.xml');
    writeFileSync(broken, '<testsuite><testcase name="x">');
    const notJunit = path.join(tempDir(), 'other.xml');
    writeFileSync(notJunit, '<coverage line-rate="0.5"/>');

    const report = await readJunitReports([
      junit('pytest-failures.xml'),
      junit('other-runner.xml'),
      junit('pytest-empty.xml'),
      broken,
      notJunit,
      path.join(tempDir(), 'missing.xml'),
    ]);
    assert.deepEqual(
      [report.passed, report.failed, report.skipped, report.errors],
      [2 + 2, 2 + 1, 1 + 1, 1],
    );
    assert.deepEqual(report.failures.at(-1), {
      name: 'test_kick',
      classname: 'bot.tests.test_commands.CommandTests',
      file: 'bot/tests/test_commands.py',
      line: 44,
      message: "AssertionError: 'denied' != 'kicked'",
      kind: 'failure',
    });
    assert.equal(report.files.length, 3);
    assert.equal(report.problems.length, 3);
    assert.match(report.problems.join('\n'), /other\.xml: .*no <testsuite>/);
    assert.match(report.problems.join('\n'), /missing\.xml: .*ENOENT/);
  });

  it('resolves a test-report glob against the working directory', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'reports/unit'), { recursive: true });
    for (const name of ['reports/a.xml', 'reports/unit/b.xml', 'reports/c.txt']) {
      writeFileSync(path.join(root, name), '');
    }
    const files = await resolveTestReports('reports/**/*.xml', root);
    assert.deepEqual(files, [
      path.join(root, 'reports/a.xml'),
      path.join(root, 'reports/unit/b.xml'),
    ]);
  });
});

describe('addJunitXml', () => {
  const cases: Array<[string, string | null]> = [
    ['pytest', 'pytest --junitxml=/tmp/r.xml'],
    ['python -m pytest -q tests', 'python -m pytest --junitxml=/tmp/r.xml -q tests'],
    [
      'cd bot && python3 -m pytest -x | tee out',
      'cd bot && python3 -m pytest --junitxml=/tmp/r.xml -x | tee out',
    ],
    ['pip install pytest && pytest -q', 'pip install pytest && pytest --junitxml=/tmp/r.xml -q'],
    ['.venv/bin/pytest tests', '.venv/bin/pytest --junitxml=/tmp/r.xml tests'],
    ['PYTHONPATH=. pytest', 'PYTHONPATH=. pytest --junitxml=/tmp/r.xml'],
    ['pytest --junitxml=own.xml', null],
    ['pytest --junit-xml own.xml', null],
    ['python -m unittest discover', null],
    ['', null],
  ];
  for (const [command, expected] of cases) {
    it(`${JSON.stringify(command)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(addJunitXml(command, '/tmp/r.xml'), expected);
    });
  }

  it('quotes the report path so bash hands it to pytest as one argument', () => {
    // A stand-in pytest on PATH that records its arguments, one per line.
    const bin = tempDir('k98-bin-');
    const argsFile = path.join(bin, 'args');
    writeFileSync(
      path.join(bin, 'pytest'),
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${argsFile}'\n`,
    );
    chmodSync(path.join(bin, 'pytest'), 0o755);
    const report = path.join(tempDir("k98 it's $HOME "), 'report `x`.xml');

    const command = addJunitXml('pytest -q "tests dir"', report);
    assert.ok(command);
    execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    assert.deepEqual(readFileSync(argsFile, 'utf8').split('\n').slice(0, -1), [
      `--junitxml=${report}`,
      '-q',
      'tests dir',
    ]);
  });
});
