import { setTimeout as delay } from 'node:timers/promises';

import pRetry, { AbortError } from 'p-retry';

import { errorMessage } from '../errors.js';

/** A failure another attempt may fix, with the wait the server asked for (Retry-After). */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

/** A failure another attempt cannot fix (a bad token, a wrong URL): never retried. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export type Sleep = (ms: number) => Promise<void>;

export interface RetryOptions {
  /** Retries after the first attempt (`upload-retries`). */
  retries: number;
  /** Where each retry is announced, with its reason: usually `reporter.info`. */
  log: (message: string) => void;
  /** What is retried, for the log: "HTTP upload". */
  label: string;
  /** Injectable so unit tests do not wait. */
  sleep?: Sleep;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a server asking for more gets this much. */
  maxRetryAfterMs?: number;
}

export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 30_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/**
 * The wait before retry number `retry` (1 for the first): exponential, capped, with jitter
 * over the upper half so that many runners failing together do not retry in step.
 */
export function backoffDelay(
  retry: number,
  random: () => number = Math.random,
  baseMs = DEFAULT_BASE_DELAY_MS,
  maxMs = DEFAULT_MAX_DELAY_MS,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A Retry-After header (seconds or an HTTP date) as milliseconds, or undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, it throws a PermanentError, or the retries are spent.
 * p-retry owns the loop; the wait is computed here so that it can honour Retry-After and go
 * through an injectable sleep. Every retry is logged with its reason. The last error is
 * thrown, with the number of attempts added when there was more than one.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const total = options.retries + 1;
  let attempts = 0;

  const run = async (attemptNumber: number): Promise<T> => {
    attempts = attemptNumber;
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (error instanceof PermanentError) throw new AbortError(error);
      throw error;
    }
  };

  try {
    return await pRetry(run, {
      retries: options.retries,
      // The wait happens in shouldRetry, so p-retry itself must not wait as well.
      minTimeout: 0,
      shouldRetry: async ({ error, attemptNumber }) => {
        const wait = waitBefore(error, attemptNumber, random, options);
        options.log(
          `${options.label}: attempt ${attemptNumber} of ${total} failed: ` +
            `${errorMessage(error)}; retrying in ${(wait / 1000).toFixed(1)} s`,
        );
        await sleep(wait);
        return true;
      },
    });
  } catch (error) {
    if (attempts <= 1 || !(error instanceof Error)) throw error;
    error.message = `${error.message} (gave up after ${attempts} attempts)`;
    throw error;
  }
}

function waitBefore(
  error: Error,
  attemptNumber: number,
  random: () => number,
  options: RetryOptions,
): number {
  const asked = error instanceof RetryableError ? error.retryAfterMs : undefined;
  if (asked !== undefined) {
    return Math.min(asked, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
  }
  return backoffDelay(attemptNumber, random, options.baseDelayMs, options.maxDelayMs);
}
