/**
 * Aborts work that stops making progress: `progress()` reports the time of the last step;
 * when it is older than `stallMs` the returned signal aborts with a message saying so.
 */
export function stallWatchdog(
  what: string,
  stallMs: number,
  progress: () => number,
): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const timer = setInterval(
    () => {
      const idle = Date.now() - progress();
      if (idle > stallMs) {
        controller.abort(
          new Error(`${what} stalled: no progress for ${Math.round(idle / 1000)} s`),
        );
      }
    },
    Math.min(1000, stallMs),
  );
  timer.unref();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}
