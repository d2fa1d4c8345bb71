import * as core from '@actions/core';

/** The post step: makes sure a cancelled or timed-out job still gets its diagnostics. */
export async function runPost(): Promise<void> {
  // TODO: post-step upload after cancellation is not built yet.
  core.info('Post step: nothing to do.');
}
