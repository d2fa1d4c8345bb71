import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { tempDir } from './action.js';

/** A line in the bot's log format, numbered so excerpts can be checked exactly. */
export function logLine(index: number, level = 'INFO'): string {
  const second = String(index % 60).padStart(2, '0');
  return `2026-11-30 21:04:${second},123 [${level}] bot.test: line ${index}\n`;
}

export function logLines(count: number, level = 'INFO'): string {
  let text = '';
  for (let index = 1; index <= count; index++) text += logLine(index, level);
  return text;
}

export interface BotTreeOptions {
  /** Lines in log.txt (default 3000). */
  logLines?: number;
  /** Create DATA_DIR (default true). */
  withDataDir?: boolean;
  /** Rotated siblings of log.txt, oldest highest (default 2). */
  rotated?: number;
}

/**
 * A temporary bot checkout: LOG_DIR with current and rotated logs and state files, DATA_DIR
 * with state files and one private file that must never be collected by default.
 */
export function makeBotTree(options: BotTreeOptions = {}): string {
  const root = tempDir('k98-bot-');
  const logs = path.join(root, 'logs');
  const data = path.join(root, 'data');
  mkdirSync(logs);
  writeFileSync(path.join(logs, 'log.txt'), logLines(options.logLines ?? 3000));
  writeFileSync(path.join(logs, 'error_log.txt'), logLines(50, 'ERROR'));
  writeFileSync(path.join(logs, 'crash.log'), 'Traceback (most recent call last):\nKeyError: 1\n');
  writeFileSync(path.join(logs, 'telemetry_log.jsonl'), '{"event":"heartbeat","seq":1}\n');
  writeFileSync(path.join(logs, 'heartbeat.json'), '{"status":"ok"}\n');
  writeFileSync(path.join(logs, 'last_shutdown_info.json'), '{"reason":"crash","where":"logs"}\n');
  const rotated = options.rotated ?? 2;
  for (let number = 1; number <= rotated; number++) {
    const file = path.join(logs, `log.txt.${number}`);
    writeFileSync(file, logLines(100 * number));
    // Older siblings have older times, as a rotating handler leaves them.
    const when = new Date(Date.now() - number * 86_400_000);
    utimesSync(file, when, when);
  }
  if (options.withDataDir ?? true) {
    mkdirSync(data);
    writeFileSync(
      path.join(data, 'LAST_SHUTDOWN_INFO.json'),
      '{"reason":"crash","where":"data"}\n',
    );
    writeFileSync(path.join(data, 'live_queue_cache.json'), '{"queue_message_id":1}\n');
    writeFileSync(path.join(data, 'command_cache.json'), '{"commands":[]}\n');
    writeFileSync(path.join(data, 'user_profiles.json'), '{"email":"private@example.invalid"}\n');
  }
  return root;
}

/** Inputs that run no commands and upload nowhere: collection only. */
export const COLLECT_ONLY = { 'run-commands': 'false', upload: 'none' } as const;
