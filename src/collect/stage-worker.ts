import { isMainThread, parentPort, workerData } from 'node:worker_threads';

import { errorMessage } from '../errors.js';
import { Redactor } from '../redact/scrubber.js';
import { stageCopy } from './stage-file.js';
import type { StageReply, StageRequest, StageWorkerData } from './stage-thread.js';

/** Whether this thread was started by a StageThread (the entry module then serves staging). */
export function isStageWorker(): boolean {
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
    stageCopy(file, request.stagingDir, request.archivePath, request.maxBytes, scrubber).then(
      (staged) => port.postMessage({ id: request.id, staged } satisfies StageReply),
      (error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        const failure = { message: errorMessage(error), ...(code ? { code } : {}) };
        port.postMessage({ id: request.id, error: failure } satisfies StageReply);
      },
    );
  });
}
