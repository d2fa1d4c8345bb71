import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Opens, for reading, a file that was a regular file when it was listed. It may have been
 * swapped since: a symbolic link put in its place is not followed (it could point anywhere
 * the runner can read), a FIFO does not block the open, and anything that is not a regular
 * file once open is refused.
 */
export async function openRegularFile(file: string | Buffer): Promise<FileHandle> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(file, flags);
  if ((await handle.stat()).isFile()) return handle;
  await handle.close();
  const error = new Error('no longer a regular file (replaced while collecting)');
  throw Object.assign(error, { code: 'ENOTREG' });
}
