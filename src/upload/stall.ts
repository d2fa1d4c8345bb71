import { RetryableError } from './retry.js';

/** An attempt that moved no bytes for the whole stall timeout. */
export class StallError extends RetryableError {
  constructor(timeoutMs: number) {
    super(
      `no upload progress for ${timeoutMs / 1000} s, attempt abandoned ` +
        '(upload-timeout-seconds is the longest wait without progress)',
    );
    this.name = 'StallError';
  }
}

/**
 * Calls `onStall` when `progress()` has not been called for `timeoutMs`. It limits the time
 * without progress, not the whole transfer: a large bundle on a slow link may take longer.
 */
export class StallWatchdog {
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number, onStall: () => void) {
    this.timer = setTimeout(onStall, timeoutMs);
  }

  progress(): void {
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
