import { lstat, readdir, readlink } from 'node:fs/promises';

import { errorMessage } from '../errors.js';

/** One directory entry, looked at without following links. */
export interface FoundFile {
  /** The name as stored in the bundle: escaped when it is not valid UTF-8. */
  name: string;
  /** The raw name in hex, only when it was not valid UTF-8. */
  rawNameHex?: string;
  /** The full path as the file system knows it (a Buffer keeps undecodable bytes). */
  path: Buffer;
  /** The full path for people: escaped like `name`. */
  displayPath: string;
  type: 'file' | 'directory' | 'link' | 'other';
  size: number;
  mtimeMs: number;
  /** Device and inode: the same file by any path (a link in the path, a hard link). */
  fileId: string;
  linkTarget?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Makes a name printable: valid UTF-8 is kept as it is; otherwise every byte outside ASCII
 * (and `%`) becomes %XX, so the name is reversible and still mostly readable.
 */
export function escapeName(raw: Buffer): { name: string; rawNameHex?: string } {
  try {
    return { name: utf8.decode(raw) };
  } catch {
    let name = '';
    for (const byte of raw) {
      name +=
        byte >= 0x80 || byte === 0x25
          ? `%${byte.toString(16).toUpperCase()}`
          : String.fromCharCode(byte);
    }
    return { name, rawNameHex: raw.toString('hex') };
  }
}

/** Looks at one path without following a link. */
export async function inspect(path: Buffer, displayPath: string): Promise<FoundFile> {
  const stats = await lstat(path);
  const slash = path.lastIndexOf(0x2f);
  const escaped = escapeName(slash >= 0 ? path.subarray(slash + 1) : path);
  const found: FoundFile = {
    ...escaped,
    path,
    displayPath,
    type: stats.isSymbolicLink()
      ? 'link'
      : stats.isDirectory()
        ? 'directory'
        : stats.isFile()
          ? 'file'
          : 'other',
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    fileId: `${stats.dev}:${stats.ino}`,
  };
  if (found.type === 'link')
    found.linkTarget = escapeName(await readlink(path, { encoding: 'buffer' })).name;
  return found;
}

/**
 * Lists a directory's entries (not recursively). A problem with one entry (it vanished
 * between listing and looking) is reported through `onError` and the rest are still listed.
 */
export async function listDirectory(
  directory: string | Buffer,
  onError: (message: string) => void,
): Promise<FoundFile[]> {
  const base = Buffer.isBuffer(directory) ? directory : Buffer.from(directory);
  const names = await readdir(base, { encoding: 'buffer' });
  const found: FoundFile[] = [];
  for (const raw of names.sort(Buffer.compare)) {
    const full = Buffer.concat([base, Buffer.from('/'), raw]);
    const display = `${escapeName(base).name}/${escapeName(raw).name}`;
    try {
      found.push(await inspect(full, display));
    } catch (error) {
      onError(`unreadable: ${display}: ${errorMessage(error)}`);
    }
  }
  return found;
}

/**
 * Every file below a directory, depth first, links recorded and never followed (so a link
 * cannot lead collection out of the directory or round a loop).
 */
export async function walkDirectory(
  directory: Buffer,
  displayRoot: string,
  onError: (message: string) => void,
): Promise<Array<FoundFile & { relative: string }>> {
  const results: Array<FoundFile & { relative: string }> = [];
  const visit = async (current: Buffer, relative: string): Promise<void> => {
    let entries: FoundFile[];
    try {
      entries = await listDirectory(current, onError);
    } catch (error) {
      onError(`unreadable directory: ${displayRoot}/${relative}: ${errorMessage(error)}`);
      return;
    }
    for (const entry of entries) {
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.type === 'directory') await visit(entry.path, childRelative);
      else results.push({ ...entry, relative: childRelative });
    }
  };
  await visit(directory, '');
  return results;
}
