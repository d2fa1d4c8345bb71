// @actions/core is patched (patches/) to load http-client and undici only for getIDToken,
// which the action never calls: loading them cost every run some 30 ms and 8-9 MB.
import * as core from '@actions/core';

import { errorMessage } from './errors.js';
import { runMain } from './main.js';
import { runPost } from './post.js';
import { STATE } from './state.js';

/**
 * The action's one entry, for both `main` and `post`: the runner passes the state saved by
 * main to post as STATE_* variables, and `isPost` tells the two apart.
 */
export async function runAction(): Promise<void> {
  try {
    if (core.getState(STATE.isPost) === 'true') {
      await runPost();
    } else {
      core.saveState(STATE.isPost, 'true');
      await runMain();
    }
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
