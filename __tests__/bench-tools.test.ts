import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { LogLines, makeBotTree, makeSparseLog, ROTATE_BYTES } from '../scripts/bench/bot-tree.js';
import { startHttpSink } from '../scripts/bench/http-sink.js';
import { measure } from '../scripts/bench/measure.js';
import { parseBytes, spread } from '../scripts/bench/stats.js';
import { tempDir } from './helpers/action.js';

/** The bot's log line: `YYYY-MM-DD HH:MM:SS,mmm [LEVEL] logger: message`. */
const BOT_LINE =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \[(INFO|DEBUG|WARNING|ERROR)\] [\w.]+: ./;
const MIB = 1024 * 1024;

describe('benchmark tools', () => {
  it('writes lines in the bot format, the same bytes for the same seed', () => {
    const text = new LogLines(1).text(200_000);
    assert.equal(text, new LogLines(1).text(200_000));
    assert.ok(text.endsWith('\n'));
    const starts = text.split('\n').filter((line) => /^\d{4}-/.test(line));
    assert.ok(starts.length > 1000);
    for (const line of starts) assert.match(line, BOT_LINE);
    // Tracebacks continue an entry on lines of their own, as Python's logging writes them.
    assert.ok(text.includes('\nTraceback (most recent call last):\n'));
  });

  it('makes a tree with full rotated siblings, oldest highest, and DATA_DIR state', async () => {
    const root = tempDir();
    await makeBotTree(root, 120 * MIB);
    const logs = readdirSync(path.join(root, 'logs')).sort();
    assert.deepEqual(
      logs.filter((name) => name.startsWith('log.txt')),
      ['log.txt', 'log.txt.1', 'log.txt.2'],
    );
    for (const name of ['log.txt.1', 'log.txt.2']) {
      const size = statSync(path.join(root, 'logs', name)).size;
      assert.ok(size >= ROTATE_BYTES && size < ROTATE_BYTES + 4096, `${name}: ${size}`);
    }
    const mtime = (name: string) => statSync(path.join(root, 'logs', name)).mtimeMs;
    assert.ok(mtime('log.txt') > mtime('log.txt.1') && mtime('log.txt.1') > mtime('log.txt.2'));
    let total = 0;
    for (const name of logs) total += statSync(path.join(root, 'logs', name)).size;
    assert.ok(Math.abs(total - 120 * MIB) < MIB, `total ${total}`);
    assert.ok(readdirSync(path.join(root, 'data')).includes('LAST_SHUTDOWN_INFO.json'));
  });

  it('makes a sparse log with real lines at both ends', () => {
    const file = path.join(tempDir(), 'logs', 'log.txt');
    makeSparseLog(file, 4 * 1024 * MIB, 64 * 1024);
    assert.equal(statSync(file).size, 4 * 1024 * MIB);
    // Sparse: the hole takes no blocks on disk.
    assert.ok(statSync(file).blocks * 512 < 16 * MIB);
    const tail = execFileSync('tail', ['-c', '200', file], { encoding: 'latin1' });
    assert.match(tail.trimEnd().split('\n').pop() ?? '', BOT_LINE);
    const first = execFileSync('head', ['-c', '200', file], { encoding: 'latin1' });
    assert.match(first, BOT_LINE);
  });

  it('measures a process: exit code, first output, CPU and peak memory', async () => {
    const run = await measure('sh', ['-c', 'echo ready; exit 3']);
    assert.equal(run.code, 3);
    assert.equal(run.output, 'ready\n');
    assert.ok(run.firstOutputMs !== null && run.firstOutputMs <= run.wallMs);
    assert.ok(run.peakRssBytes > 0);
    assert.ok(Number.isFinite(run.cpuMs));
  });

  it('takes medians and ranges, and reads sizes', () => {
    assert.deepEqual(spread([3, 1, 2]), { median: 2, min: 1, max: 3 });
    assert.deepEqual(spread([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4 });
    assert.equal(parseBytes('100MiB'), 100 * MIB);
    assert.equal(parseBytes('1.5GiB'), 1.5 * 1024 * MIB);
    assert.throws(() => parseBytes('lots'), /not a size/);
  });

  it('counts what an upload sends to the loopback sink', async () => {
    const sink = await startHttpSink();
    try {
      const body = Buffer.alloc(3 * MIB, 7);
      const response = await fetch(sink.url, { method: 'POST', body });
      assert.equal(response.status, 201);
      assert.equal(sink.lastBytes(), body.length);
    } finally {
      await sink.stop();
    }
  });
});
