import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { CommandRecord } from '../../src/run/outcome.js';
import { REPO_ROOT, tempDir } from './action.js';

/** Fixture files for the triage readers; fixtures/README.md says where each came from. */
export const FIXTURES = path.join(REPO_ROOT, '__tests__/fixtures');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** The checkout path the crash fixtures were written with. */
export const FIXTURE_CHECKOUT = '/home/runner/work/k98-bot/k98-bot';

export interface BotTreeOptions {
  /** A file under fixtures/crash/ to install as logs/crash.log. */
  crashLog?: string;
  /** Shutdown-info files to write: bundle-relative name (`data/…`, `logs/…`) → content. */
  files?: Record<string, string>;
}

/** A temporary bot checkout with logs/ and data/, holding the chosen fixtures. */
export function botTree(options: BotTreeOptions = {}): {
  root: string;
  logDir: string;
  dataDir: string;
} {
  const root = tempDir('k98-bot-');
  const logDir = path.join(root, 'logs');
  const dataDir = path.join(root, 'data');
  mkdirSync(logDir);
  mkdirSync(dataDir);
  if (options.crashLog)
    copyFileSync(fixture('crash', options.crashLog), path.join(logDir, 'crash.log'));
  for (const [name, content] of Object.entries(options.files ?? {})) {
    writeFileSync(path.join(root, name), content);
  }
  return { root, logDir, dataDir };
}

/** A command record as the runner writes it; fields not given are those of a passing run. */
export function commandRecord(overrides: Partial<CommandRecord> & Pick<CommandRecord, 'name'>) {
  const record: CommandRecord = {
    command: overrides.name === 'smoke' ? 'python scripts/smoke_imports.py' : 'python -m pytest',
    cwd: FIXTURE_CHECKOUT,
    exit_code: 0,
    exit_code_meaning: 'success',
    signal: null,
    outcome: 'success',
    start: '2026-11-30T21:10:00.000Z',
    end: '2026-11-30T21:10:01.500Z',
    duration_ms: 1500,
    ...overrides,
  };
  return record;
}

/** A scrubber like the bundle's, for tests: replaces the planted secret. */
export const PLANTED_SECRET = 'hunter2-planted-secret';
export const testScrub = (text: string): string => text.split(PLANTED_SECRET).join('[REDACTED]');
