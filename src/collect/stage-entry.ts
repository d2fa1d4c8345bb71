import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import { errorMessage } from '../errors.js';
import type { ManifestRecord } from '../pack/manifest-types.js';
import type { Redactor } from '../redact/scrubber.js';
import { PROTECTED_KINDS, type PlannedEntry } from './entry.js';
import { MAX_EXCERPT_LINE_BYTES, readHead, readTail } from './excerpt.js';
import { LineCutter } from './line-cutter.js';
import { inBlocks, looksBinary, stageContent, stageStream, type StagedFile } from './stage-file.js';
import type { CopyFile } from './scrub-thread.js';

/** The running total against max-bundle-size; once something is dropped, all after it is. */
export class Budget {
  used = 0;
  exhausted = false;

  constructor(readonly max: number) {}

  /** Whether an entry of about `size` bytes still fits. */
  admits(entry: PlannedEntry, size: number): boolean {
    if (PROTECTED_KINDS.includes(entry.kind)) return true;
    if (this.exhausted || this.used + size > this.max) {
      this.exhausted = true;
      return false;
    }
    return true;
  }
}

export interface StageContext {
  stagingDir: string;
  redactor: Redactor;
  /** How whole files are copied (scrubbed on a thread when there is one). */
  copyFile: CopyFile;
  maxFileSize: number;
  budget: Budget;
  onError: (message: string) => void;
  /** Told about each file once it is staged for good (the packer takes it from there). */
  onStaged: (archivePath: string, staged: StagedFile) => void;
}

/**
 * Produces one planned entry in the staging directory and returns its manifest record.
 * Nothing here throws: a file that vanished, cannot be read or does not fit becomes a record
 * without an archive path and one line of errors.txt.
 */
export async function stageEntry(
  entry: PlannedEntry,
  context: StageContext,
): Promise<ManifestRecord> {
  const record = baseRecord(entry, context.redactor);
  if (entry.produce.type === 'link') return record;

  // Excerpts are bounded by their lines: their real size is checked once they are made.
  const copies = entry.produce.type === 'copy';
  const estimate = copies && entry.source ? Math.min(entry.source.size, context.maxFileSize) : 0;
  if (!context.budget.admits(entry, estimate)) {
    return leftOut(record, 'over max-bundle-size', context);
  }

  try {
    const staged = await produce(entry, context, record);
    if (!staged) return record;
    if (!context.budget.admits(entry, staged.size)) {
      await rm(path.join(context.stagingDir, entry.archivePath), { force: true });
      return leftOut(record, 'over max-bundle-size', context);
    }
    context.budget.used += staged.size;
    context.onStaged(entry.archivePath, staged);
    return {
      ...record,
      path: entry.archivePath,
      archived_size: staged.size,
      sha256: staged.sha256,
      redactions: staged.redactions,
    };
  } catch (error) {
    const reason = describeFailure(error);
    context.onError(
      `${reason}: ${entry.source?.displayPath ?? entry.archivePath}: ${errorMessage(error)}`,
    );
    return { ...record, left_out: true, left_out_reason: reason };
  }
}

async function produce(entry: PlannedEntry, context: StageContext, record: ManifestRecord) {
  const { stagingDir, redactor } = context;
  const plan = entry.produce;
  const source = entry.source;

  if (plan.type === 'content') {
    return stageContent(await plan.content(), stagingDir, entry.archivePath, redactor);
  }
  if (!source) throw new Error(`no source for ${entry.archivePath}`);

  if (source.type !== 'file') {
    // A FIFO, socket or device would block or never end: never opened.
    leftOut(record, `not a regular file (${source.type})`, context);
    return null;
  }

  if (plan.type === 'head' || plan.type === 'tail') {
    const read = plan.type === 'head' ? readHead : readTail;
    const excerpt = await read(source.path, plan.lines, context.maxFileSize);
    const lines = Readable.from(inBlocks(excerpt.bytes));
    const cutter = new LineCutter(MAX_EXCERPT_LINE_BYTES);
    return stageStream(lines, stagingDir, entry.archivePath, redactor, { afterScrub: cutter });
  }

  // The bot's own files and command output are always scrubbed as text, whatever bytes they
  // hold (a log left with NUL padding by a crash is still a log); only extra paths may be
  // binary.
  const mayBeBinary = entry.kind === 'extra';
  const binary = mayBeBinary && (await looksBinary(source.path));
  record.scrubbed = !binary;
  if (binary && !(plan.type === 'copy' && plan.explicit)) {
    leftOut(record, 'binary file (name it directly in extra-paths to keep it)', context);
    return null;
  }
  const copied = await context.copyFile(
    source.path,
    stagingDir,
    entry.archivePath,
    context.maxFileSize,
    binary ? null : redactor,
  );
  record.source_size = copied.snapshotSize;
  if (copied.truncated) {
    record.truncated = true;
    record.truncated_reason = `over max-file-size: ${copied.cutBytes} bytes cut from the middle`;
    context.onError(
      `truncated: ${source.displayPath}: ${copied.snapshotSize} bytes, over max-file-size`,
    );
  }
  return copied;
}

function baseRecord(entry: PlannedEntry, redactor: Redactor): ManifestRecord {
  const record: ManifestRecord = {
    path: null,
    kind: entry.kind,
    source: entry.source?.displayPath ?? null,
    source_size: entry.source?.size ?? null,
    archived_size: null,
    sha256: null,
    truncated: false,
    left_out: false,
    redactions: 0,
    scrubbed: true,
  };
  // The raw name in hex would give back a secret its escaped name was scrubbed of.
  const name = entry.source?.name ?? '';
  if (entry.source?.rawNameHex && redactor.scrubText(name) === name) {
    record.raw_name_hex = entry.source.rawNameHex;
  }
  if (entry.produce.type === 'link') {
    record.link_target = entry.source?.linkTarget ?? '';
    record.scrubbed = false;
  }
  return record;
}

function leftOut(record: ManifestRecord, reason: string, context: StageContext): ManifestRecord {
  record.left_out = true;
  record.left_out_reason = reason;
  context.onError(`left out: ${record.source ?? 'generated file'}: ${reason}`);
  return record;
}

function describeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'vanished';
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable';
  // A symbolic link (O_NOFOLLOW: ELOOP) or a special file put in its place while collecting.
  if (code === 'ELOOP' || code === 'ENOTREG') return 'replaced';
  return 'failed';
}
