import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { collectingGarbage } from '../src/memory/collecting-garbage.js';

const MIB = 1024 * 1024;

/**
 * Reads like the artifact library does: a fresh 8 MiB buffer per read, dropped once used,
 * with time between reads for the check to run. Answers the most buffer memory seen.
 */
async function readLikeTheLibrary(blocks: number): Promise<number> {
  let most = 0;
  for (let block = 0; block < blocks; block++) {
    Buffer.allocUnsafeSlow(8 * MIB).fill(block);
    most = Math.max(most, process.memoryUsage().arrayBuffers);
    await sleep(120);
  }
  return most;
}

describe('forced garbage collection during the artifact upload', () => {
  it('keeps spent 8 MiB buffers from piling up, and says how often it collected', async () => {
    const messages: string[] = [];
    const before = process.memoryUsage().arrayBuffers;
    const most = await collectingGarbage(
      8 * MIB,
      (message) => messages.push(message),
      () => readLikeTheLibrary(16),
    );

    // One block in use, one at most awaiting the check; V8 alone let 32 MiB gather here.
    const grown = (most - before) / MIB;
    assert.ok(grown <= 16, `buffer memory grew by ${grown.toFixed(0)} MiB`);
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /^Forced (\d+) garbage collections, \d+ ms in all$/);
    const collections = Number(/^Forced (\d+)/.exec(messages[0] ?? '')?.[1]);
    assert.ok(collections >= 4, messages[0]);
  });

  it('collects after less growth once the process is near its memory limit', async () => {
    const run = async (rssBytes: number) => {
      const messages: string[] = [];
      const before = process.memoryUsage().arrayBuffers;
      const most = await collectingGarbage(
        64 * MIB,
        (message) => messages.push(message),
        () => readLikeTheLibrary(12),
        { rssBytes, growth: 8 * MIB },
      );
      const early = Number(/\((\d+) early, near the memory limit\)/.exec(messages[0] ?? '')?.[1]);
      return { grownMib: (most - before) / MIB, early, message: messages[0] ?? '' };
    };

    const near = await run(1);
    assert.ok(near.early >= 3, near.message);
    assert.ok(near.grownMib <= 16, `buffer memory grew by ${near.grownMib.toFixed(0)} MiB`);

    const far = await run(Number.MAX_SAFE_INTEGER);
    assert.equal(far.early, 0, far.message);
  });

  it('returns what the body returns and passes its error through', async () => {
    assert.equal(
      await collectingGarbage(
        MIB,
        () => {},
        async () => 42,
      ),
      42,
    );
    await assert.rejects(
      collectingGarbage(
        MIB,
        () => {},
        async () => {
          throw new Error('upload failed');
        },
      ),
      /upload failed/,
    );
  });
});
