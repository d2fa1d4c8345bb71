import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  openSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { findNewestCrash, innermostFrameInside, type CrashReport } from '../src/report/crash.js';
import { parseTracebacks } from '../src/report/traceback.js';
import { REPO_ROOT, tempDir } from './helpers/action.js';
import { botTree, fixture, FIXTURE_CHECKOUT, testScrub } from './helpers/triage-fixtures.js';

async function crashFrom(name: string): Promise<CrashReport> {
  const crash = await findNewestCrash(botTree({ crashLog: name }).logDir, testScrub);
  assert.ok(crash, `a traceback in ${name}`);
  return crash;
}

const frameNames = (crash: CrashReport): string[] =>
  crash.frames.map((frame) => `${path.basename(frame.file)}:${frame.line} ${frame.function}`);

const QUEUE_FRAMES = [
  'runner.py:25 guard',
  'runner.py:8 process_queue',
  'queue.py:7 handle',
  'queue.py:3 pop',
];

describe('findNewestCrash', () => {
  it('takes the newest of several logger.exception tracebacks', async () => {
    const crash = await crashFrom('logger-exception.log');
    assert.equal(crash.exception, "KeyError: 'queue_message_id'");
    assert.equal(
      crash.timestampLine,
      '2026-11-30 21:04:05,123 [ERROR] bot.runner: Unhandled exception in queue worker',
    );
    assert.deepEqual(frameNames(crash), QUEUE_FRAMES);
    assert.equal(crash.frames.at(-1)?.code, 'return queue["queue_message_id"]');
    assert.deepEqual(crash.chain, []);
    assert.equal(crash.otherTracebacks, 1);
    assert.equal(crash.otherTracebacksExact, true);
  });

  it('reports the last exception of a chain and the ones it was raised from', async () => {
    const crash = await crashFrom('chained.log');
    assert.equal(crash.exception, 'OSError: [Errno 28] No space left on device');
    assert.deepEqual(crash.chain, ["KeyError: 'missing'"]);
    assert.deepEqual(frameNames(crash), [
      'runner.py:25 guard',
      'runner.py:16 save_cache',
      'store.py:16 save',
    ]);
    assert.match(crash.timestampLine ?? '', /21:04:05,123 \[ERROR\].*Could not save/);
    // Three chains in the file: a plain one, "direct cause" and "during handling".
    assert.equal(crash.otherTracebacks, 2);
  });

  it('reads tracebacks whose every line carries the logger prefix', async () => {
    const crash = await crashFrom('prefixed-lines.log');
    assert.equal(crash.exception, 'RuntimeError: command cache is corrupt');
    assert.deepEqual(crash.chain, [
      'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: ' +
        'line 1 column 2 (char 1)',
    ]);
    assert.equal(frameNames(crash).at(-1), 'store.py:9 load');
    assert.match(crash.timestampLine ?? '', /21:03:05,123 \[ERROR\].*Could not load/);
    assert.equal(crash.otherTracebacks, 1);
  });

  it('reads an asyncio.TaskGroup failure as its first task error, within its group', async () => {
    const crash = await crashFrom('task-group.log');
    assert.equal(crash.exception, "KeyError: 'queue_message_id'");
    assert.deepEqual(frameNames(crash), [
      'tasks.py:8 drain_queue',
      'queue.py:7 handle',
      'queue.py:3 pop',
    ]);
    assert.deepEqual(crash.group, {
      exception: 'ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)',
      members: [
        "KeyError: 'queue_message_id'",
        'PermissionError: Missing Permissions: manage_roles',
      ],
    });
    assert.match(crash.timestampLine ?? '', /21:03:05,123 \[ERROR\].*Task group failed/);
    assert.deepEqual(crash.chain, []);
    // The plain traceback before it; the group's box holds three markers but counts once.
    assert.equal(crash.otherTracebacks, 1);
  });

  it('reads groups of groups, every line of them under the logger prefix', async () => {
    const crash = await crashFrom('nested-group.log');
    assert.equal(crash.exception, "KeyError: 'queue_message_id'");
    assert.equal(crash.group?.exception, 'ExceptionGroup: shards failed (2 sub-exceptions)');
    assert.deepEqual(crash.group?.members, [
      "KeyError: 'queue_message_id'",
      'PermissionError: Missing Permissions: manage_roles',
      "KeyError: 'queue_message_id'",
      'PermissionError: Missing Permissions: manage_roles',
    ]);
    assert.deepEqual(innermostFrameInside(crash, FIXTURE_CHECKOUT), {
      file: 'bot/queue.py',
      line: 3,
    });
    assert.match(crash.timestampLine ?? '', /21:02:05,123 \[ERROR\].*Shards failed/);
    assert.equal(crash.otherTracebacks, 0);
  });

  it('takes a sub-exception never raised with its group\'s frames, and Python\'s "more"', () => {
    const text = [
      '  + Exception Group Traceback (most recent call last):',
      '  |   File "bot/tasks.py", line 30, in start',
      '  | ExceptionGroup: many (17 sub-exceptions)',
      '  +-+---------------- 1 ----------------',
      '    | ValueError: 0',
      '    +---------------- ... ----------------',
      '    | and 16 more exceptions',
      '    +------------------------------------',
      '  + Exception Group Traceback (most recent call last):',
      '  |   File "bot/tasks.py", line 40, in stop',
      '  | ExceptionGroup: later (1 sub-exception)',
      '  +-+---------------- 1 ----------------',
      '    | TypeError: never raised',
      '    +------------------------------------',
    ].join('\n');
    const [first, second] = parseTracebacks(text);
    assert.equal(first?.exception, 'ValueError: 0');
    assert.deepEqual(first?.group?.members, ['ValueError: 0', 'and 16 more exceptions']);
    assert.deepEqual(
      first?.frames.map((frame) => frame.line),
      [30],
    );
    assert.equal(first?.endLine, 8);
    assert.equal(second?.exception, 'TypeError: never raised');
    assert.equal(parseTracebacks(text).length, 2);
  });

  it('reads a group nested deeper than Python prints as far as 16 levels, and on', () => {
    // Level n's box hangs from column 2n; each group holds one group, the last one an error.
    const levels = 300;
    const lines = ['  + Exception Group Traceback (most recent call last):'];
    for (let level = 0; level < levels; level++) {
      const bar = ' '.repeat(2 + 2 * level);
      if (level > 0) lines.push(`${bar}| Exception Group Traceback (most recent call last):`);
      lines.push(`${bar}|   File "bot/tasks.py", line ${level + 1}, in run`);
      lines.push(`${bar}| ExceptionGroup: level ${level} (1 sub-exception)`);
      lines.push(`${bar}+-+---------------- 1 ----------------`);
    }
    lines.push(`${' '.repeat(2 + 2 * levels)}| KeyError: 'deepest'`);
    for (let level = levels - 1; level >= 0; level--) {
      lines.push(`${' '.repeat(4 + 2 * level)}+------------------------------------`);
    }

    const [found, ...rest] = parseTracebacks(lines.join('\n'));
    assert.equal(rest.length, 0);
    assert.equal(found?.group?.exception, 'ExceptionGroup: level 0 (1 sub-exception)');
    assert.deepEqual(found?.group?.members, ['ExceptionGroup: level 16 (1 sub-exception)']);
    assert.equal(found?.endLine, lines.length);
  });

  it('reads no deeper than 16 boxes when members open groups with their own + header', () => {
    // Python bars every line of a member, so a message can hold a group's header: each level
    // opened a new read of its own, and 1,600 of them overflowed the stack.
    const lines: string[] = [];
    for (let level = 0; level < 1600; level++) {
      const bars = '  | '.repeat(level);
      lines.push(`${bars}  + Exception Group Traceback (most recent call last):`);
      lines.push(`${bars}  | ExceptionGroup: level ${level} (1 sub-exception)`);
      lines.push(`${bars}  +-+---------------- 1 ----------------`);
    }
    const found = parseTracebacks(lines.join('\n'));
    assert.equal(found[0]?.group?.exception, 'ExceptionGroup: level 0 (1 sub-exception)');
  });

  it('reads CRLF line endings without carriage returns in the result', async () => {
    const crash = await crashFrom('crlf.log');
    assert.equal(crash.exception, "KeyError: 'queue_message_id'");
    assert.deepEqual(frameNames(crash), QUEUE_FRAMES);
    assert.ok(!JSON.stringify(crash).includes('\\r'));
  });

  it('reads invalid UTF-8 (a Latin-1 log) with replacement characters', async () => {
    const crash = await crashFrom('invalid-utf8.log');
    assert.equal(crash.exception, "ValueError: guild name 'Caf\uFFFD Zo\uFFFD' is not allowed");
    assert.match(crash.timestampLine ?? '', /guild 'Caf\uFFFD'/);
  });

  it('takes the header line of a crash written by sys.excepthook', async () => {
    const crash = await crashFrom('excepthook.log');
    assert.equal(crash.timestampLine, '=== crash at 2026-11-30 21:09:05 UTC (pid 4242) ===');
    assert.equal(crash.otherTracebacks, 0);
  });

  it('returns null for a log without a traceback, and for a missing LOG_DIR', async () => {
    assert.equal(
      await findNewestCrash(botTree({ crashLog: 'no-traceback.log' }).logDir, testScrub),
      null,
    );
    assert.equal(await findNewestCrash(path.join(tempDir(), 'nope'), testScrub), null);
  });

  it("neither waits on a FIFO nor follows a link in crash.log's place", async () => {
    const fifo = tempDir();
    execFileSync('mkfifo', [path.join(fifo, 'crash.log')]);
    const linked = tempDir();
    const elsewhere = botTree({ crashLog: 'logger-exception.log' }).logDir;
    symlinkSync(path.join(elsewhere, 'crash.log'), path.join(linked, 'crash.log'));

    for (const logDir of [fifo, linked]) {
      const found = await Promise.race([
        findNewestCrash(logDir, testScrub),
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5000).unref()),
      ]);
      assert.equal(found, null, logDir);
    }
  });

  it('falls back to rotated siblings, newest (lowest number) first', async () => {
    const crash = await findNewestCrash(fixture('crash', 'rotated'), testScrub);
    assert.equal(path.basename(crash?.file ?? ''), 'crash.log.1');
    assert.equal(crash?.exception, 'RuntimeError: command cache is corrupt');
  });

  it('widens its window when a chain began more than a window before the end', async () => {
    const dir = tempDir();
    const deep = Array.from(
      { length: 20_000 },
      (_, index) =>
        `  File "/srv/bot/deep.py", line ${index + 1}, in level_${index}\n    recurse()\n`,
    ).join('');
    writeFileSync(
      path.join(dir, 'crash.log'),
      '2026-11-30 21:00:00,000 [ERROR] bot.deep: Deep failure\n' +
        `Traceback (most recent call last):\n${deep}KeyError: 'first'\n\n` +
        'During handling of the above exception, another exception occurred:\n\n' +
        'Traceback (most recent call last):\n  File "/srv/bot/top.py", line 3, in main\n' +
        '    run()\nRuntimeError: second\n',
    );
    assert.ok(statSync(path.join(dir, 'crash.log')).size > 1024 * 1024);
    const crash = await findNewestCrash(dir, testScrub);
    assert.equal(crash?.exception, 'RuntimeError: second');
    assert.deepEqual(crash?.chain, ["KeyError: 'first'"]);
    assert.equal(crash?.timestampLine, '2026-11-30 21:00:00,000 [ERROR] bot.deep: Deep failure');
    assert.equal(crash?.otherTracebacks, 0);
  });

  it('reads a crash at the end of a 4 GiB log with memory far below its size', () => {
    const dir = tempDir();
    const file = path.join(dir, 'crash.log');
    const traceback = (name: string): string =>
      `2026-11-30 21:00:00,000 [ERROR] bot: ${name}\nTraceback (most recent call last):\n` +
      `  File "/srv/bot/a.py", line 1, in f\n    g()\n${name}: boom\n`;
    const handle = openSync(file, 'w');
    writeSync(handle, traceback('FirstError'));
    writeSync(handle, traceback('LastError'), 4 * 1024 ** 3);
    closeSync(handle);

    // In a child process, so its peak resident memory is this read's alone.
    const source = JSON.stringify(path.join(REPO_ROOT, 'src/report/crash.ts'));
    const probe =
      `import { findNewestCrash } from ${source};\n` +
      `const crash = await findNewestCrash(${JSON.stringify(dir)}, (text) => text);\n` +
      'console.log(JSON.stringify({ crash, maxRssKiB: process.resourceUsage().maxRSS }));';
    let output: string;
    try {
      output = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', probe],
        { cwd: REPO_ROOT, encoding: 'utf8' },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { crash, maxRssKiB } = JSON.parse(output) as { crash: CrashReport; maxRssKiB: number };
    assert.equal(crash.exception, 'LastError: boom');
    // The first traceback lies 4 GiB back, past what is counted: a lower bound, said so.
    assert.equal(crash.otherTracebacksExact, false);
    assert.ok(maxRssKiB * 1024 < 300 * 1024 * 1024, `peak memory ${maxRssKiB} KiB`);
  });
});

describe('innermostFrameInside', () => {
  it('picks the innermost frame under the working directory, relative to it', async () => {
    const crash = await crashFrom('chained.log');
    assert.deepEqual(innermostFrameInside(crash, FIXTURE_CHECKOUT), {
      file: 'bot/store.py',
      line: 16,
    });
  });

  it('skips library frames and answers null when no frame is inside', async () => {
    const crash = await crashFrom('logger-exception.log');
    const library = {
      ...crash,
      frames: [
        ...crash.frames,
        { file: '/opt/hostedtoolcache/Python/json/decoder.py', line: 9, function: 'f', code: null },
        { file: '<frozen importlib._bootstrap>', line: 1, function: 'g', code: null },
      ],
    };
    assert.deepEqual(innermostFrameInside(library, FIXTURE_CHECKOUT), {
      file: 'bot/queue.py',
      line: 3,
    });
    assert.equal(innermostFrameInside(crash, '/somewhere/else'), null);
  });
});
