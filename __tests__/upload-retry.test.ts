import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  backoffDelay,
  parseRetryAfter,
  PermanentError,
  RetryableError,
  withRetries,
} from '../src/upload/retry.js';

/** Runs withRetries with a recorded sleep and log; `outcomes` decide each attempt. */
async function retrying(outcomes: Array<Error | 'ok'>, retries: number) {
  const waits: number[] = [];
  const log: string[] = [];
  let calls = 0;
  const result = withRetries(
    async () => {
      const outcome = outcomes[calls++] ?? 'ok';
      if (outcome === 'ok') return 'done';
      throw outcome;
    },
    {
      retries,
      label: 'Test upload',
      log: (message) => log.push(message),
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    },
  );
  return { result, waits, log, calls: () => calls };
}

describe('backoffDelay', () => {
  it('doubles from the base, caps at the maximum, and jitters over the upper half', () => {
    assert.equal(
      backoffDelay(1, () => 0, 1000, 30_000),
      500,
    );
    assert.equal(
      backoffDelay(1, () => 0.999_999, 1000, 30_000),
      1000,
    );
    assert.equal(
      backoffDelay(3, () => 0, 1000, 30_000),
      2000,
    );
    assert.equal(
      backoffDelay(10, () => 1, 1000, 30_000),
      30_000,
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('0'), 0);
    assert.equal(parseRetryAfter(' 7 '), 7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
  });

  it('ignores what it cannot read', () => {
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('withRetries', () => {
  it('retries retryable failures with growing waits and logs each reason', async () => {
    const run = await retrying([new Error('reset (ECONNRESET)'), new RetryableError('503')], 3);
    assert.equal(await run.result, 'done');
    assert.equal(run.calls(), 3);
    assert.deepEqual(run.waits, [750, 1500]);
    assert.equal(run.log.length, 2);
    assert.match(run.log[0] ?? '', /Test upload: attempt 1 of 4 failed: reset \(ECONNRESET\)/);
    assert.match(run.log[1] ?? '', /attempt 2 of 4 failed: 503; retrying in 1\.5 s/);
  });

  it('waits as long as Retry-After asks, within a cap', async () => {
    const run = await retrying(
      [new RetryableError('429', 2000), new RetryableError('429', 3_600_000)],
      2,
    );
    assert.equal(await run.result, 'done');
    assert.deepEqual(run.waits, [2000, 120_000]);
  });

  it('stops at once on a permanent failure', async () => {
    const run = await retrying([new PermanentError('401: check the token')], 3);
    await assert.rejects(run.result, /^PermanentError: 401: check the token$/);
    assert.equal(run.calls(), 1);
    assert.deepEqual(run.waits, []);
  });

  it('gives up after the last retry and says how many attempts it made', async () => {
    const failure = new RetryableError('503 Service Unavailable');
    const run = await retrying([failure, failure, failure], 2);
    await assert.rejects(run.result, /503 Service Unavailable \(gave up after 3 attempts\)/);
    assert.equal(run.calls(), 3);
    assert.equal(run.waits.length, 2);
  });

  it('makes one attempt with no retries', async () => {
    const run = await retrying([new RetryableError('503')], 0);
    await assert.rejects(run.result, /^RetryableError: 503$/);
    assert.equal(run.calls(), 1);
  });
});
