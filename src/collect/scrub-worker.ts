import { isMainThread, parentPort, workerData } from 'node:worker_threads';

import { errorMessage } from '../errors.js';
import { Redactor, WindowScrub } from '../redact/scrubber.js';
import {
  ownBuffer,
  type ScrubReply,
  type ScrubRequest,
  type ScrubWorkerData,
} from './scrub-protocol.js';
import { registerScrubThread } from './scrub-thread.js';

/**
 * What an entry module does first. Started by a ScrubThread, it serves scrubbing; otherwise
 * it registers itself as the scrubbing thread's worker (a bundled build has no other file to
 * start) and runs `main`.
 */
export async function startEntry(entry: string, main: () => Promise<void>): Promise<void> {
  if (isScrubWorker()) {
    serveScrubbing();
    return;
  }
  registerScrubThread(new URL(entry));
  await main();
}

/** Whether this thread was started by a ScrubThread (the entry module then serves scrubbing). */
function isScrubWorker(): boolean {
  if (isMainThread) return false;
  return (workerData as Partial<ScrubWorkerData> | null)?.k98ScrubWorker === true;
}

/**
 * Answers the main thread's requests in the order they come: each stream (one file) keeps
 * its own held-back window here until its end.
 */
export function serveScrubbing(): void {
  const data = workerData as ScrubWorkerData;
  const redactor = new Redactor(data.secretValues, data.userPatterns);
  const streams = new Map<number, WindowScrub>();
  const port = parentPort;
  if (!port) throw new Error('serveScrubbing() runs only in a worker thread');

  port.on('message', (request: ScrubRequest) => {
    const { stream } = request;
    if (request.drop) {
      streams.delete(stream);
      return;
    }
    const windows = streams.get(stream) ?? new WindowScrub(redactor);
    streams.set(stream, windows);
    try {
      let scrubbed: Buffer | null;
      if (request.end) {
        scrubbed = windows.end();
        streams.delete(stream);
      } else {
        const bytes = request.bytes ?? new Uint8Array(0);
        scrubbed = windows.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
      const reply: ScrubReply = { stream, redactions: windows.takeRedactions() };
      if (!scrubbed) {
        port.postMessage(reply);
        return;
      }
      reply.bytes = ownBuffer(scrubbed);
      port.postMessage(reply, [reply.bytes.buffer as ArrayBuffer]);
    } catch (error) {
      streams.delete(stream);
      port.postMessage({ stream, redactions: 0, error: errorMessage(error) } satisfies ScrubReply);
    }
  });
}
