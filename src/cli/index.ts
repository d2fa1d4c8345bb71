#!/usr/bin/env node
import { startEntry } from '../collect/scrub-worker.js';

// `k98-diagnostics`, the command line (and the scrubbing thread's worker).
await startEntry(import.meta.url, async () => (await import('./program.js')).runCli(process.argv));
