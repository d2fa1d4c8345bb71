import path from 'node:path';

import { pathTaken } from '../path-taken.js';
import type { PlannedEntry } from './entry.js';
import { inspect, walkDirectory, type FoundFile } from './listing.js';

export interface ExtraPathProblems {
  /** A problem reading something: one line of errors.txt. */
  onError: (message: string) => void;
  /** An entry that matched nothing: a warning for the user as well. */
  onNoMatch: (entry: string) => void;
}

/**
 * Plans `extra-paths`: files, directories (walked, links never followed) and globs (which
 * match dotfiles). Paths keep their place relative to the working directory; absolute paths
 * outside it go under files/extra/abs/.
 */
export async function planExtraPaths(
  extraPaths: string[],
  workingDirectory: string,
  problems: ExtraPathProblems,
): Promise<PlannedEntry[]> {
  // Keyed by the file's path: `logs/**` matches a directory and the files in it, and two
  // entries may overlap; each file goes in once.
  const planned = new Map<string, PlannedEntry>();
  if (extraPaths.length === 0) return [];

  // Loaded only when there are extra paths: most runs have none and skip its load time.
  const globbing = await import('tinyglobby');
  for (const extra of extraPaths) {
    // A path that exists is taken as it is, glob characters and all (`core[1].dump`).
    const explicit =
      !globbing.isDynamicPattern(extra) || pathTaken(path.resolve(workingDirectory, extra));
    const matches = explicit
      ? literalMatch(extra, workingDirectory)
      : await globMatches(globbing.glob, extra, workingDirectory);
    if (matches.length === 0) {
      problems.onNoMatch(extra);
      problems.onError(`missing: extra path ${extra} matched nothing`);
      continue;
    }
    for (const match of matches) {
      for (const entry of await planMatch(match, workingDirectory, explicit, problems.onError)) {
        addOnce(planned, entry);
      }
    }
  }
  return [...planned.values()];
}

/** Adds an entry unless its file is planned already; a file also named directly stays named. */
function addOnce(planned: Map<string, PlannedEntry>, entry: PlannedEntry): void {
  const key = entry.source
    ? path.normalize(entry.source.path.toString('latin1'))
    : entry.archivePath;
  const earlier = planned.get(key);
  if (!earlier) {
    planned.set(key, entry);
    return;
  }
  if (earlier.produce.type === 'copy' && entry.produce.type === 'copy' && entry.produce.explicit) {
    earlier.produce = { type: 'copy', explicit: true };
  }
}

function literalMatch(extra: string, workingDirectory: string): string[] {
  const absolute = path.resolve(workingDirectory, extra);
  return pathTaken(absolute) ? [absolute] : [];
}

async function globMatches(
  glob: typeof import('tinyglobby').glob,
  pattern: string,
  workingDirectory: string,
): Promise<string[]> {
  const matches = await glob(pattern, {
    cwd: workingDirectory,
    absolute: true,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    expandDirectories: false,
  });
  // A directory comes with a trailing slash, which would double in the paths of its files.
  return matches.map((match) => (match.length > 1 ? match.replace(/\/+$/, '') : match));
}

async function planMatch(
  absolute: string,
  workingDirectory: string,
  explicit: boolean,
  onError: (message: string) => void,
): Promise<PlannedEntry[]> {
  let found: FoundFile;
  try {
    found = await inspect(Buffer.from(absolute), absolute);
  } catch (error) {
    onError(`unreadable: ${absolute}: ${(error as Error).message}`);
    return [];
  }
  const base = archiveBase(absolute, workingDirectory);
  if (found.type !== 'directory') return [extraEntry(base, found, explicit)];

  // A file found inside a named directory was not named itself: a binary one among them is
  // left out, since it cannot be scrubbed and may hold a secret in the clear.
  const files = await walkDirectory(found.path, absolute, onError);
  return files.map((file) => extraEntry(`${base}/${file.relative}`, file, false));
}

function extraEntry(archivePath: string, file: FoundFile, explicit: boolean): PlannedEntry {
  const produce: PlannedEntry['produce'] =
    file.type === 'link' ? { type: 'link' } : { type: 'copy', explicit };
  return { archivePath, kind: 'extra', source: file, produce };
}

/** Where an extra path goes in the bundle. */
export function archiveBase(absolute: string, workingDirectory: string): string {
  const relative = path.relative(workingDirectory, absolute);
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return `files/extra/${relative.split(path.sep).join('/')}`;
  }
  if (!relative) return 'files/extra';
  return `files/extra/abs/${absolute.replace(/^\/+/, '')}`;
}
