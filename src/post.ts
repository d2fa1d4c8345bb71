import * as core from '@actions/core';

import { STATE } from './state.js';

/**
 * The post step (`post-if: always()`): when the main step was cancelled or killed before it
 * finished its uploads, upload the archive it left, or collect one first if it left none.
 * Most runs finish in main, so the pipeline is loaded only when there is work left.
 */
export async function runPost(): Promise<void> {
  if (core.getState(STATE.mainStarted) !== 'true') {
    core.info('Post: the main step did not start (see its error above); nothing to do.');
    return;
  }
  if (core.getState(STATE.uploadsDone) === 'true') {
    core.info('Post: the main step finished its uploads; nothing to do.');
    return;
  }

  const { finishInterruptedRun } = await import('./post-recovery.js');
  await finishInterruptedRun();
}
