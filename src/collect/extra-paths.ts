import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';

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
  const entries: PlannedEntry[] = [];
  if (extraPaths.length === 0) return entries;

  // Loaded only when there are extra paths: most runs have none and skip its load time.
  const globbing = await import('tinyglobby');
  for (const extra of extraPaths) {
    const explicit = !globbing.isDynamicPattern(extra);
    const matches = explicit
      ? literalMatch(extra, workingDirectory)
      : await globMatches(globbing.glob, extra, workingDirectory);
    if (matches.length === 0) {
      problems.onNoMatch(extra);
      problems.onError(`missing: extra path ${extra} matched nothing`);
      continue;
    }
    for (const match of matches) {
      entries.push(...(await planMatch(match, workingDirectory, explicit, problems.onError)));
    }
  }
  return entries;
}

function literalMatch(extra: string, workingDirectory: string): string[] {
  const absolute = path.resolve(workingDirectory, extra);
  // existsSync follows links; a broken link still deserves a manifest record.
  return existsSync(absolute) || isLink(absolute) ? [absolute] : [];
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

async function globMatches(
  glob: typeof import('tinyglobby').glob,
  pattern: string,
  workingDirectory: string,
): Promise<string[]> {
  return glob(pattern, {
    cwd: workingDirectory,
    absolute: true,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    expandDirectories: false,
  });
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

  const files = await walkDirectory(found.path, absolute, onError);
  return files.map((file) => extraEntry(`${base}/${file.relative}`, file, explicit));
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
