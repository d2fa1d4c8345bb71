import { startEntry } from './collect/stage-worker.js';

// The action's entry, for main and post (and the staging thread's worker).
await startEntry(import.meta.url, async () => (await import('./action.js')).runAction());
