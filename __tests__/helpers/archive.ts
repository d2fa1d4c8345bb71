import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { tempDir } from './action.js';

/** Extracts an archive with the system tar and returns the directory. */
export function extractArchive(archivePath: string): string {
  const target = tempDir('k98-extract-');
  execFileSync('tar', ['-xzf', archivePath, '-C', target]);
  return target;
}

/** Every file below a directory, as paths relative to it, sorted. */
export function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/** What `tar -tzf` lists (files and directories). */
export function tarListing(archivePath: string): string[] {
  return execFileSync('tar', ['-tzf', archivePath], { encoding: 'utf8' }).trim().split('\n');
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function fileSize(file: string): number {
  return statSync(file).size;
}

/** Searches every extracted file's bytes for each needle; returns `file: needle` hits. */
export function findInFiles(root: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const file of listFiles(root)) {
    const bytes = readFileSync(path.join(root, file));
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle))) hits.push(`${file}: ${needle.slice(0, 12)}…`);
    }
  }
  return hits;
}
