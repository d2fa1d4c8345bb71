import { isMainThread, parentPort, workerData } from 'node:worker_threads';

import { errorMessage } from '../errors.js';
import { Redactor } from '../redact/scrubber.js';
import { stageCopy } from './stage-file.js';
import {
  registerStageThread,
  type StageReply,
  type StageRequest,
  type StageWorkerData,
} from './stage-thread.js';

/**
 * What an entry module does first. Started by a StageThread, it serves staging; otherwise it
 * registers itself as the staging thread's worker (a bundled build has no other file to
 * start) and runs `main`.
 */
export async function startEntry(entry: string, main: () => Promise<void>): Promise<void> {
  if (isStageWorker()) {
    serveStaging();
    return;
  }
  registerStageThread(new URL(entry));
  await main();
}

/** Whether this thread was started by a StageThread (the entry module then serves staging). */
function isStageWorker(): boolean {
  if (isMainThread) return false;
  return (workerData as Partial<StageWorkerData> | null)?.k98StageWorker === true;
}

/** Answers the main thread's copy requests, one at a time. */
export function serveStaging(): void {
  const data = workerData as StageWorkerData;
  const redactor = new Redactor(data.secretValues, data.userPatterns);
  const port = parentPort;
  if (!port) throw new Error('serveStaging() runs only in a worker thread');

  port.on('message', (request: StageRequest) => {
    const file = typeof request.file === 'string' ? request.file : Buffer.from(request.file);
    const scrubber = request.scrub ? redactor : null;
    const { stagingDir, archivePath, maxBytes, gzipLevel } = request;
    stageCopy(file, stagingDir, archivePath, maxBytes, scrubber, gzipLevel).then(
      (staged) => port.postMessage({ id: request.id, staged } satisfies StageReply),
      (error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        const failure = { message: errorMessage(error), ...(code ? { code } : {}) };
        port.postMessage({ id: request.id, error: failure } satisfies StageReply);
      },
    );
  });
}
