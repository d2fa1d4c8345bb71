#!/usr/bin/env node
import { startEntry } from '../collect/stage-worker.js';

// `k98-diagnostics`, the command line (and the staging thread's worker).
await startEntry(import.meta.url, async () => (await import('./program.js')).runCli(process.argv));
