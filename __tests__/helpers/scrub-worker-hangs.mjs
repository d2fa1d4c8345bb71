// A scrubbing thread that hangs (spins, answers nothing) on its third request, half way
// through a file: the copy must not wait for it forever.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
let requests = 0;
parentPort.on('message', () => {
  requests++;
  if (requests === 3) for (;;);
});
const { serveScrubbing } = await import('../../src/collect/scrub-worker.ts');
serveScrubbing();
