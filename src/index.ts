import { startEntry } from './collect/scrub-worker.js';

// The action's entry, for main and post (and the scrubbing thread's worker).
await startEntry(import.meta.url, async () => (await import('./action.js')).runAction());
