// The scrubbing thread's entry for tests that run the sources: a worker does not inherit the
// test process's tsx loader, so it is registered here before the TypeScript is loaded.
import { register } from 'tsx/esm/api';

register();
const { serveScrubbing } = await import('../../src/collect/scrub-worker.ts');
serveScrubbing();
