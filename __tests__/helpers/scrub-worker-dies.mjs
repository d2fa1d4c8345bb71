// A scrubbing thread that dies on its third request, half way through a file: the copy must
// then be made again on the main thread.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveScrubbing } = await import('../../src/collect/scrub-worker.ts');
serveScrubbing();
let requests = 0;
parentPort.on('message', () => {
  requests++;
  if (requests === 3) process.exit(3);
});
