import { registerStageThread } from './collect/stage-thread.js';
import { isStageWorker, serveStaging } from './collect/stage-worker.js';

// The action's entry (main and post). The same file is also the staging thread's worker
// (StageThread starts it): a bundled build has no other file to start.
if (isStageWorker()) {
  serveStaging();
} else {
  registerStageThread(new URL(import.meta.url));
  const { runAction } = await import('./action.js');
  await runAction();
}
