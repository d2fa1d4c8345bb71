import { statSync } from 'node:fs';
import path from 'node:path';

import type { Inputs } from '../inputs/read.js';
import type { ManifestRecord } from '../pack/manifest-types.js';
import type { Redactor } from '../redact/scrubber.js';
import type { CommandRecord } from '../run/outcome.js';
import { planBotFiles } from './bot-files.js';
import type { PlannedEntry } from './entry.js';
import { KEEP_ORDER } from './entry.js';
import { renderEnvironment } from './environment.js';
import { planExtraPaths } from './extra-paths.js';
import { inspect } from './listing.js';
import { serviceStatus } from './service-status.js';
import { Budget, stageEntry } from './stage-entry.js';
import { stageCopy, type StagedFile } from './stage-file.js';
import type { CopyFile } from './scrub-thread.js';
import { systemInfo } from './system-info.js';

/** The inputs that decide what is collected, as validated by readInputs. */
type CollectInputs = Pick<
  Inputs,
  | 'workingDirectory'
  | 'logDir'
  | 'dataDir'
  | 'includeLogs'
  | 'headLines'
  | 'tailLines'
  | 'extraPaths'
  | 'service'
  | 'maxFileSize'
  | 'maxBundleSize'
  | 'redactEnvNames'
>;

export interface CollectOptions extends CollectInputs {
  stagingDir: string;
  commands: CommandRecord[];
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** How whole files are copied; stageCopy() on this thread unless given. */
  copyFile?: CopyFile;
  /** Told about each extra path that matched nothing. */
  warn: (message: string) => void;
  debug: (message: string) => void;
  /** Told about each file as soon as it is staged. */
  onStaged: (archivePath: string, staged: StagedFile) => void;
  /** Told when staging of one file starts (true) and ends (false). */
  onStaging?: (active: boolean) => void;
  /** The archive being written (never collected). */
  archivePath: string;
}

/** The bundle's files, staged on disk, with their records and the problems met. */
export interface StagedBundle {
  stagingDir: string;
  records: ManifestRecord[];
  errors: string[];
}

/**
 * Collects everything into the staging directory. Never throws for a file: every problem is
 * one line in `errors`, and collection goes on.
 */
export async function collectBundle(options: CollectOptions): Promise<StagedBundle> {
  const errors: string[] = [];
  const onError = (message: string): void => {
    errors.push(message);
    options.debug(message);
  };

  const planned = [
    ...metaEntries(options),
    ...(await commandLogEntries(options.commands, onError)),
    ...(await planBotFiles(botFileOptions(options), onError)),
    ...(await planExtraPaths(options.extraPaths, options.workingDirectory, {
      onError,
      onNoMatch: (entry) => options.warn(`extra-paths entry '${entry}' matched nothing`),
    })),
  ];

  const context = {
    stagingDir: options.stagingDir,
    redactor: options.redactor,
    copyFile: options.copyFile ?? stageCopy,
    maxFileSize: options.maxFileSize,
    budget: new Budget(options.maxBundleSize),
    onError,
    onStaged: options.onStaged,
  };
  const records: ManifestRecord[] = [];
  const taken = new Map<string, string | null>();
  const copied = new Map<string, string>();
  const archiveId = fileIdOf(options.archivePath);
  for (const planEntry of inKeepOrder(planned)) {
    const source = planEntry.source?.displayPath ?? null;
    // The raw path tells two files apart even when their escaped names are the same.
    const identity = planEntry.source?.path.toString('hex') ?? null;
    // The archive being written is never collected into itself, by whatever path it is seen.
    if (source && source === options.archivePath) continue;
    if (archiveId && planEntry.source?.fileId === archiveId) continue;
    // A bot file also named in extra-paths (`logs` with include-logs) goes in once, at its
    // place under files/logs or files/data: extras come last in keep order.
    const copyOf = planEntry.produce.type === 'copy' ? (planEntry.source?.fileId ?? null) : null;
    const copiedAs = copyOf === null ? undefined : copied.get(copyOf);
    if (copiedAs !== undefined) {
      options.debug(`${source}: already in the bundle as ${copiedAs}`);
      continue;
    }
    // A name can hold a secret too (a file named after a token): scrub it like the contents.
    let archivePath = options.redactor.scrubText(planEntry.archivePath);
    if (taken.has(archivePath)) {
      if (taken.get(archivePath) === identity) continue; // the same file, matched twice
      archivePath = freeName(archivePath, taken);
      onError(`renamed: ${source}: another file already has its place; stored as ${archivePath}`);
    }
    taken.set(archivePath, identity);
    const entry = { ...planEntry, archivePath };
    options.onStaging?.(true);
    const record = await stageEntry(entry, context).finally(() => options.onStaging?.(false));
    options.debug(`${record.path ?? 'left out'} <- ${record.source ?? 'generated'}`);
    records.push(record);
    if (copyOf !== null) copied.set(copyOf, archivePath);
  }
  return { stagingDir: options.stagingDir, records, errors };
}

/** A file's device and inode, as FoundFile has them; empty when it cannot be looked at. */
function fileIdOf(file: string): string {
  try {
    const stats = statSync(file);
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return '';
  }
}

/** `name` with the first free suffix: `log.txt` -> `log.txt~2`. */
function freeName(name: string, taken: Map<string, unknown>): string {
  for (let suffix = 2; ; suffix++) {
    const candidate = `${name}~${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A stable sort by kind, keeping each kind's own order (rotated logs newest first). */
function inKeepOrder(entries: PlannedEntry[]): PlannedEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        KEEP_ORDER.indexOf(a.entry.kind) - KEEP_ORDER.indexOf(b.entry.kind) || a.index - b.index,
    )
    .map(({ entry }) => entry);
}

function botFileOptions(options: CollectOptions) {
  const queue = options.env.QUEUE_CACHE_FILE;
  return {
    logDir: options.logDir,
    dataDir: options.dataDir,
    includeLogs: options.includeLogs,
    headLines: options.headLines,
    tailLines: options.tailLines,
    queueCacheFile: queue ? path.resolve(options.workingDirectory, queue) : '',
  };
}

function generated(archivePath: string, content: () => Promise<string | Buffer>): PlannedEntry {
  return { archivePath, kind: 'meta', source: null, produce: { type: 'content', content } };
}

function metaEntries(options: CollectOptions): PlannedEntry[] {
  const entries = [
    generated('meta/env.txt', async () => renderEnvironment(options.env, options.redactEnvNames)),
    generated('meta/system_info.json', async () =>
      json(await systemInfo(options.workingDirectory, options.env)),
    ),
    generated('meta/commands.json', async () => json(commandsFile(options.commands))),
  ];
  if (options.service) {
    entries.push(generated('meta/service_status.txt', () => serviceStatus(options.service)));
  }
  return entries;
}

/** meta/commands.json: the records without local paths, pointing at their logs instead. */
function commandsFile(commands: CommandRecord[]) {
  return commands.map(({ log_path: logPath, ...record }) => ({
    ...record,
    log: logPath ? `meta/commands/${record.name}.log` : null,
  }));
}

async function commandLogEntries(
  commands: CommandRecord[],
  onError: (message: string) => void,
): Promise<PlannedEntry[]> {
  const entries: PlannedEntry[] = [];
  for (const command of commands) {
    if (!command.log_path) continue;
    try {
      const source = await inspect(Buffer.from(command.log_path), command.log_path);
      entries.push({
        archivePath: `meta/commands/${command.name}.log`,
        kind: 'command-log',
        source,
        produce: { type: 'copy', explicit: true },
      });
    } catch (error) {
      onError(`missing: output of ${command.name}: ${(error as Error).message}`);
    }
  }
  return entries;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
