import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Bytes hashed per read; the one buffer is reused for the whole file. */
const READ_SIZE = 256 * 1024;

/**
 * The sha256 (hex) and size of a file, read through one reused buffer. A read stream
 * allocates a new buffer per read; hashing a 256 MiB archive that way raised the CLI's
 * resident memory from 50 to 89 MiB before any upload began (57 MiB with this).
 */
export async function fileDigest(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  const handle = await open(file, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, size);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}
