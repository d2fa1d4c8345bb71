import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

import { Header, Pax } from 'tar';

import { Precompressed } from './parallel-gzip.js';

/** A staged file to pack; a gzipped one holds gzip members of `size` bytes of content. */
export interface PackEntry {
  /** Its path in the staging directory, which is also its path in the archive. */
  relativePath: string;
  gzipped: boolean;
  /** The content's size: a gzipped file's own size is that of its compressed members. */
  size?: number;
}

const BLOCK = 512;
/** Two empty blocks end a tar archive. */
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
/** Reads as small as node-tar's that we set before: bigger ones only wait longer for a GC. */
const READ_BYTES = 256 * 1024;

/**
 * The tar stream of `entries`, as they come: plain bytes for the header, a plain file's
 * content and the padding, and Precompressed for a gzipped file's members, which go into the
 * archive as they are. A file compressed while it was staged is then never compressed twice,
 * and its packing no longer waits for its staging to end before compression starts.
 * The headers are node-tar's, with the same fields its Pack writes with `portable` set.
 */
export async function* tarEntries(
  stagingDir: string,
  entries: AsyncIterable<PackEntry>,
): AsyncGenerator<Buffer | Precompressed> {
  for await (const entry of entries) {
    const handle = await open(path.join(stagingDir, entry.relativePath), 'r');
    try {
      const stats = await handle.stat();
      const size = entry.gzipped ? (entry.size ?? 0) : stats.size;
      yield headerBlocks(entry.relativePath, size, stats);

      let copied = 0;
      for (;;) {
        // Sized to what is left (and a byte more, to see the end): a small file's bytes stay
        // in the archive's gzip block until it fills, and a block-sized buffer under each
        // kept 256 KiB apiece alive, so thousands of small files forced a full collection
        // every few dozen files, each slower as the bundle's records grew.
        const want = Math.min(READ_BYTES, Math.max(0, stats.size - copied) + 1);
        const chunk = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        copied += bytesRead;
        const bytes = chunk.subarray(0, bytesRead);
        yield entry.gzipped ? new Precompressed(bytes) : bytes;
      }
      // Staged files are ours and never change; a short one would shift every entry after it.
      // (A gzipped file's content size is checked when the archive is read back.)
      if (!entry.gzipped && copied !== size) {
        throw new Error(`${entry.relativePath} changed size while it was packed`);
      }
      const padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (padding > 0) yield Buffer.alloc(padding);
    } finally {
      await handle.close();
    }
  }
  yield END_OF_ARCHIVE;
}

/** A file's header block, after a PAX header when a field does not fit (a long path). */
function headerBlocks(archivePath: string, size: number, stats: Stats): Buffer {
  const fields = {
    path: archivePath.split(path.sep).join('/'),
    // Owner read-write, and no write for group or others: as node-tar's `portable` mode.
    mode: ((stats.mode & 0o7777) | 0o600) & ~0o22,
    size,
    mtime: stats.mtime,
    type: 'File' as const,
  };
  const header = new Header(fields);
  const needsPax = header.encode();
  const block = header.block as Buffer;
  return needsPax ? Buffer.concat([new Pax(fields).encode(), block]) : block;
}
