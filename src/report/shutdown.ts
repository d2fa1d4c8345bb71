import { lstat } from 'node:fs/promises';
import path from 'node:path';

import { openRegularFile } from '../collect/open-regular.js';

/** One shutdown-info file the bot left behind. */
export interface ShutdownInfo {
  /** Where it sits in the bundle: `files/data/LAST_SHUTDOWN_INFO.json`. */
  label: string;
  path: string;
  /** Its fields, nested objects flattened to `a.b`, in file order. */
  fields: Array<[string, string]>;
  /** Why it could not be read, when it could not. */
  problem: string | null;
}

/** The runbook names the upper-case file in DATA_DIR; the bot writes the lower-case one. */
const NAMES = ['LAST_SHUTDOWN_INFO.json', 'last_shutdown_info.json'];

/** A shutdown record is a few hundred bytes; anything past this is not one. */
const MAX_FILE_BYTES = 256 * 1024;
const MAX_FIELDS = 30;
const MAX_VALUE_CHARS = 120;

/**
 * Reads the shutdown-info files at the top of LOG_DIR and DATA_DIR. The same file seen
 * twice (LOG_DIR = DATA_DIR, or a case-insensitive disk) is read once.
 */
export async function readShutdownInfo(
  logDir: string,
  dataDir: string,
  scrub: (text: string) => string,
): Promise<ShutdownInfo[]> {
  const places: Array<[string, string]> = [
    [dataDir, 'files/data'],
    [logDir, 'files/logs'],
  ];
  const seen = new Set<string>();
  const found: ShutdownInfo[] = [];

  for (const [directory, bundleDir] of places) {
    for (const name of NAMES) {
      const file = path.join(directory, name);
      const identity = await fileIdentity(file);
      if (identity === null || seen.has(identity)) continue;
      seen.add(identity);
      found.push(await readOne(file, `${bundleDir}/${name}`, scrub));
    }
  }
  return found;
}

async function fileIdentity(file: string): Promise<string | null> {
  try {
    // A link in a state file's place is left alone, as the bundle leaves it.
    const info = await lstat(file);
    return info.isFile() ? `${info.dev}:${info.ino}` : null;
  } catch {
    return null;
  }
}

async function readOne(
  file: string,
  label: string,
  scrub: (text: string) => string,
): Promise<ShutdownInfo> {
  const info: ShutdownInfo = { label, path: file, fields: [], problem: null };
  try {
    // A link is never followed, nor a FIFO waited on (see openRegularFile).
    const handle = await openRegularFile(file);
    let text: string;
    try {
      const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }

    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('not a JSON object');
    }
    info.fields = flatten(value as Record<string, unknown>, '', scrub).slice(0, MAX_FIELDS);
  } catch (error) {
    info.problem = `not readable: ${error instanceof Error ? error.message : String(error)}`;
  }
  return info;
}

/** The fields as name and value, each scrubbed whole before it is cut to a length. */
function flatten(
  object: Record<string, unknown>,
  prefix: string,
  scrub: (text: string) => string,
): Array<[string, string]> {
  return Object.entries(object).flatMap(([key, value]): Array<[string, string]> => {
    const name = prefix + key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !prefix) {
      return flatten(value as Record<string, unknown>, `${name}.`, scrub);
    }
    const textValue = typeof value === 'string' ? value : JSON.stringify(value);
    return [[clip(scrub(name)), clip(scrub(textValue))]];
  });
}

function clip(value: string): string {
  const oneLine = value.replace(/\s*\r?\n\s*/g, ' ');
  return oneLine.length > MAX_VALUE_CHARS ? `${oneLine.slice(0, MAX_VALUE_CHARS)}…` : oneLine;
}

/**
 * The files side by side: a row per field, a column per file.
 * Files that could not be read show their problem in a `(problem)` row.
 */
export function shutdownTable(infos: ShutdownInfo[]): { header: string[]; rows: string[][] } {
  const names: string[] = [];
  for (const info of infos) {
    for (const [name] of info.fields) if (!names.includes(name)) names.push(name);
  }
  const rows = names.map((name) => [
    name,
    ...infos.map((info) => info.fields.find(([field]) => field === name)?.[1] ?? ''),
  ]);
  if (infos.some((info) => info.problem)) {
    rows.push(['(problem)', ...infos.map((info) => info.problem ?? '')]);
  }
  return { header: ['Field', ...infos.map((info) => info.label)], rows };
}
