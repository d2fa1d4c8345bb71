#!/usr/bin/env node
import { registerStageThread } from '../collect/stage-thread.js';
import { isStageWorker, serveStaging } from '../collect/stage-worker.js';

// `k98-diagnostics`, the command line. The same file is also the staging thread's worker
// (StageThread starts it): a bundled build has no other file to start.
if (isStageWorker()) {
  serveStaging();
} else {
  registerStageThread(new URL(import.meta.url));
  const { runCli } = await import('./program.js');
  await runCli(process.argv);
}
