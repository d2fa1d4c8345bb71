import { existsSync } from 'node:fs';
import path from 'node:path';

import type { PlannedEntry } from './entry.js';
import { inspect, listDirectory, type FoundFile } from './listing.js';

/** State files the bot and its runbook write, looked for at the top of LOG_DIR and DATA_DIR. */
export const STATE_FILE_NAMES = [
  'LAST_SHUTDOWN_INFO.json',
  'last_shutdown_info.json',
  'command_cache.json',
  'BOT_LOCK.json',
  'WATCHDOG_LOCK.json',
  'heartbeat.json',
];

export const DEFAULT_QUEUE_CACHE = 'live_queue_cache.json';

const CURRENT_LOG = /\.(txt|log|jsonl)$/;
const ROTATED_LOG = /\.(txt|log|jsonl)\.(\d+)$/;

export interface BotFileOptions {
  logDir: string;
  dataDir: string;
  includeLogs: boolean;
  headLines: number;
  tailLines: number;
  /** The QUEUE_CACHE_FILE variable, resolved against the working directory; '' when unset. */
  queueCacheFile: string;
}

/**
 * Plans the bot's own files: state files, log excerpts, and with include-logs every log
 * including rotated siblings. Other DATA_DIR files are never taken: they can hold users'
 * personal data.
 */
export async function planBotFiles(
  options: BotFileOptions,
  onError: (message: string) => void,
): Promise<PlannedEntry[]> {
  const logFiles = await listIfPresent('LOG_DIR', options.logDir, onError);
  const dataFiles = await listIfPresent('DATA_DIR', options.dataDir, onError);
  const entries: PlannedEntry[] = [];

  const stateNames = options.queueCacheFile
    ? STATE_FILE_NAMES
    : [...STATE_FILE_NAMES, DEFAULT_QUEUE_CACHE];
  for (const name of stateNames) {
    const inLogs = logFiles.find((file) => file.name === name);
    const inData = dataFiles.find((file) => file.name === name);
    if (inLogs) entries.push(fileEntry(`files/logs/${name}`, 'state', inLogs, true));
    if (inData) entries.push(fileEntry(`files/data/${name}`, 'state', inData, true));
    if (!inLogs && !inData) {
      onError(`missing: state file ${name} is in neither ${options.logDir} nor ${options.dataDir}`);
    }
  }
  if (options.queueCacheFile)
    entries.push(...(await planQueueCache(options.queueCacheFile, onError)));

  const current = logFiles.filter((file) => CURRENT_LOG.test(file.name) && !isState(file.name));
  for (const file of current.filter((found) => found.type === 'file')) {
    entries.push({
      archivePath: `meta/${file.name}.head.txt`,
      kind: 'excerpt',
      source: file,
      produce: { type: 'head', lines: options.headLines },
    });
    entries.push({
      archivePath: `meta/${file.name}.tail.txt`,
      kind: 'excerpt',
      source: file,
      produce: { type: 'tail', lines: options.tailLines },
    });
  }
  if (!options.includeLogs) return entries;

  for (const file of current)
    entries.push(fileEntry(`files/logs/${file.name}`, 'log-current', file));
  const rotated = logFiles.filter((file) => ROTATED_LOG.test(file.name)).sort(newestFirst);
  for (const file of rotated)
    entries.push(fileEntry(`files/logs/${file.name}`, 'log-rotated', file));
  return entries;
}

function isState(name: string): boolean {
  return STATE_FILE_NAMES.includes(name) || name === DEFAULT_QUEUE_CACHE;
}

/**
 * Newest first, so the oldest rotated logs are the first dropped for size. The rotation
 * number says the age (a checkout or copy resets times); the time only breaks ties.
 */
function newestFirst(a: FoundFile, b: FoundFile): number {
  const byNumber = rotationNumber(a.name) - rotationNumber(b.name);
  return byNumber !== 0 ? byNumber : b.mtimeMs - a.mtimeMs;
}

function rotationNumber(name: string): number {
  return Number(ROTATED_LOG.exec(name)?.[2] ?? 0);
}

function fileEntry(
  archivePath: string,
  kind: PlannedEntry['kind'],
  file: FoundFile,
  explicit = false,
): PlannedEntry {
  const produce: PlannedEntry['produce'] =
    file.type === 'link' ? { type: 'link' } : { type: 'copy', explicit };
  return { archivePath, kind, source: file, produce };
}

async function listIfPresent(
  label: string,
  directory: string,
  onError: (message: string) => void,
): Promise<FoundFile[]> {
  if (!existsSync(directory)) {
    onError(`missing: ${label} ${directory} does not exist`);
    return [];
  }
  try {
    return await listDirectory(directory, onError);
  } catch (error) {
    onError(`unreadable: ${label} ${directory}: ${(error as Error).message}`);
    return [];
  }
}

async function planQueueCache(
  file: string,
  onError: (message: string) => void,
): Promise<PlannedEntry[]> {
  try {
    const found = await inspect(Buffer.from(file), file);
    return [fileEntry(`files/data/${path.basename(file)}`, 'state', found, true)];
  } catch {
    onError(`missing: queue cache ${file} (from QUEUE_CACHE_FILE) does not exist`);
    return [];
  }
}
