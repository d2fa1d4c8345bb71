import type { ActionRun } from './action.js';

/**
 * What a reader of the step log sees: stdout and stderr without the `::add-mask::` commands,
 * which the runner consumes (they carry the secret so that the runner can hide it).
 */
export function visibleLog(run: Pick<ActionRun, 'stdout' | 'stderr'>): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
