import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, rmSync, ftruncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readTail } from '../src/collect/excerpt.js';
import { runAction } from './helpers/action.js';
import { extractArchive } from './helpers/archive.js';
import { COLLECT_ONLY, logLine, makeBotTree } from './helpers/bot-tree.js';

const GIB = 1024 ** 3;

/** A sparse log of `size` bytes: real lines at both ends, holes (no disk used) between. */
function writeSparseLog(file: string, size: number): void {
  const fd = openSync(file, 'w');
  let head = '';
  for (let index = 1; index <= 300; index++) head += logLine(index);
  writeSync(fd, head);
  let tail = '';
  for (let index = 1; index <= 3000; index++) tail += logLine(1_000_000 + index, 'ERROR');
  ftruncateSync(fd, size - Buffer.byteLength(tail));
  writeSync(fd, tail, size - Buffer.byteLength(tail));
  closeSync(fd);
}

describe('a log of several GB', () => {
  it('is excerpted with memory far below its size', async () => {
    const bot = makeBotTree();
    const log = path.join(bot, 'logs/log.txt');
    writeSparseLog(log, 4 * GIB);
    try {
      const run = await runAction({
        cwd: bot,
        measureMemory: true,
        inputs: { ...COLLECT_ONLY, 'working-directory': bot, 'head-lines': '250' },
      });
      assert.equal(run.code, 0, run.stdout);
      assert.ok(run.peakRssBytes, 'peak memory measured');
      assert.ok(
        (run.peakRssBytes as number) < 250 * 1024 ** 2,
        `peak RSS ${run.peakRssBytes} bytes for a 4 GiB log`,
      );
      const root = extractArchive(run.outputs['archive-path'] as string);
      const tail = readFileSync(path.join(root, 'meta/log.txt.tail.txt'), 'utf8').split('\n');
      assert.equal(tail.length, 2001, 'the last 2000 lines and the final newline');
      assert.equal(tail[1999], logLine(1_003_000, 'ERROR').trimEnd());
      const head = readFileSync(path.join(root, 'meta/log.txt.head.txt'), 'utf8');
      assert.ok(head.endsWith(logLine(250)));
    } finally {
      rmSync(bot, { recursive: true, force: true });
    }
  });

  it('reads a bounded number of bytes for the tail, whatever the size', async () => {
    const bot = makeBotTree();
    const log = path.join(bot, 'logs/big.log');
    writeSparseLog(log, 2 * GIB);
    try {
      const excerpt = await readTail(log, 100, 50 * 1024 ** 2);
      assert.ok(excerpt.bytesRead < 128 * 1024, `read ${excerpt.bytesRead} bytes`);
      assert.equal(excerpt.bytes.toString().split('\n').length, 101);
    } finally {
      rmSync(bot, { recursive: true, force: true });
    }
  });

  it('cuts one enormous line at a bound instead of reading it whole', async () => {
    const bot = makeBotTree();
    const log = path.join(bot, 'logs/one-line.log');
    const fd = openSync(log, 'w');
    writeSync(fd, 'start of a line that never ends ');
    ftruncateSync(fd, GIB);
    closeSync(fd);
    try {
      const excerpt = await readTail(log, 3, 50 * 1024 ** 2);
      assert.ok(excerpt.bytesRead <= 3 * (16 * 1024 + 1), `read ${excerpt.bytesRead} bytes`);
      // The part of the line that was read could hold half a secret: it is dropped.
      assert.match(excerpt.bytes.toString('latin1'), /^\[\.\.\. k98-diagnostics: partial line/);
      assert.ok(excerpt.bytes.length < 200);
    } finally {
      rmSync(bot, { recursive: true, force: true });
    }
  });
});
