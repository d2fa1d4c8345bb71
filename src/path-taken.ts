import { lstatSync } from 'node:fs';

/**
 * Whether anything is at `file`, a dangling link included (`existsSync` follows links and
 * says no for one): such a place is never written over, and a link there is still recorded.
 */
export function pathTaken(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
