/**
 * Turns the runner's cancellation signals into an AbortSignal. When a job is cancelled the
 * runner sends SIGINT, then SIGTERM about 7.5 s later, then kills the tree: the first signal
 * aborts (its name is the reason, so it can be forwarded to the commands) and the process
 * keeps running long enough to write the bundle.
 */
export function watchForCancellation(
  onSignal: (signal: NodeJS.Signals) => void = () => undefined,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    onSignal(signal);
    if (!controller.signal.aborted) controller.abort(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
