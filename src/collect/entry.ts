import type { EntryKind } from '../pack/manifest-types.js';
import type { FoundFile } from './listing.js';

/** How an entry's bytes are produced. */
export type Production =
  | { type: 'copy'; explicit: boolean }
  | { type: 'head' | 'tail'; lines: number }
  | { type: 'content'; content: () => Promise<string | Buffer> }
  | { type: 'link' };

/** One file the bundle should hold, before anything is read. */
export interface PlannedEntry {
  archivePath: string;
  kind: EntryKind;
  /** The file on disk, or null for generated content. */
  source: FoundFile | null;
  produce: Production;
}

/** Kinds in the order they are kept: the last kinds are the first dropped. */
export const KEEP_ORDER: EntryKind[] = [
  'meta',
  'state',
  'excerpt',
  'command-log',
  'log-current',
  'log-rotated',
  'extra',
];

/** Kinds never dropped for the bundle's size. */
export const PROTECTED_KINDS: EntryKind[] = ['meta', 'state'];
