import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { Redactor } from '../redact/scrubber.js';
import { stageCopy, type CopyPlan, type StagedFile } from './stage-file.js';

/** Copies a file into the staging directory, scrubbing it unless `redactor` is null. */
export type CopyFile = (
  file: string | Buffer,
  stagingDir: string,
  archivePath: string,
  maxBytes: number,
  redactor: Redactor | null,
) => Promise<StagedFile & CopyPlan>;

/** The `workerData` a staging thread starts with: what its own Redactor is built from. */
export interface StageWorkerData {
  k98StageWorker: true;
  secretValues: string[];
  userPatterns: RegExp[];
}

/** One copy asked of the staging thread. */
export interface StageRequest {
  id: number;
  file: string | Uint8Array;
  stagingDir: string;
  archivePath: string;
  maxBytes: number;
  scrub: boolean;
  gzipLevel: number;
}

/** Its answer: the staged file, or why it failed (errors lose their `code` in a message). */
export interface StageReply {
  id: number;
  staged?: StagedFile & CopyPlan;
  error?: { message: string; code?: string };
}

/** Files smaller than this are copied on the main thread: a trip to the worker costs more. */
export const THREAD_MIN_BYTES = 1024 * 1024;

/**
 * Heap limits of the staging thread. Its garbage is the windows it scrubs (large strings),
 * which V8 frees only at a full collection: a small heap collects them often, so they never
 * pile up (24 MB gave a 1 GiB bundle a peak 6 MB lower than 48 MB). A window's work needs a
 * few MB; should the thread still run out, the file is copied here.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 24 };

/** The module that starts a staging thread; set by the entry points (see registerStageThread). */
let threadEntry: URL | null = null;

/**
 * Called by an entry module with its own URL: that module, started as a worker, serves
 * staging (see startEntry in stage-worker.ts). A bundled build has no separate worker file,
 * so the entry itself is the worker. Without an entry, every file is copied on this thread.
 */
export function registerStageThread(entry: URL): void {
  threadEntry = entry;
}

/**
 * Copies large files — read, scrub, hash, write — on a worker thread, so the costliest work
 * per byte (redaction) runs beside the packing on the main thread and the compression on
 * libuv's pool instead of before them. One thread: files are staged one at a time, in the
 * order the bundle's budget needs. It starts on the first large file, so a bundle of
 * excerpts never pays for it.
 */
export class StageThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, (reply: StageReply) => void>();
  private nextId = 0;
  private broken = false;
  /** How many files went to the thread (the rest were copied here). */
  copiesOnThread = 0;
  /** Why the thread stopped early, if it did (everything was then copied here). */
  failure: string | null = null;

  /**
   * Large files are staged compressed at `gzipLevel`, so their compression runs while they
   * are scrubbed rather than once they are whole (StreamingPacker takes them as they are).
   */
  constructor(
    private readonly data: StageWorkerData,
    private readonly gzipLevel: number,
    private readonly minBytes = THREAD_MIN_BYTES,
  ) {}

  /** A staging thread for this redactor's secrets, or null when no entry registered one. */
  static for(
    redactor: Redactor,
    gzipLevel: number,
    minBytes = THREAD_MIN_BYTES,
  ): StageThread | null {
    if (!threadEntry) return null;
    const data: StageWorkerData = {
      k98StageWorker: true,
      secretValues: redactor.secretValues,
      userPatterns: redactor.userPatterns,
    };
    return new StageThread(data, gzipLevel, minBytes);
  }

  /** Same contract as stageCopy(); large files go to the thread, the rest are copied here. */
  readonly copy: CopyFile = async (file, stagingDir, archivePath, maxBytes, redactor) => {
    const size = await sizeOf(file);
    if (size < this.minBytes) return stageCopy(file, stagingDir, archivePath, maxBytes, redactor);
    if (this.broken) {
      return stageCopy(file, stagingDir, archivePath, maxBytes, redactor, this.gzipLevel);
    }
    const id = this.nextId++;
    const request: StageRequest = {
      id,
      file,
      stagingDir,
      archivePath,
      maxBytes,
      scrub: redactor !== null,
      gzipLevel: this.gzipLevel,
    };
    const reply = await this.ask(request);
    if (reply.staged) {
      this.copiesOnThread++;
      return reply.staged;
    }
    if (reply.error) throw Object.assign(new Error(reply.error.message), reply.error);
    // The thread died: what it half wrote is replaced by a copy made here.
    await rm(path.join(stagingDir, archivePath), { force: true });
    return stageCopy(file, stagingDir, archivePath, maxBytes, redactor, this.gzipLevel);
  };

  /**
   * Stops the thread, so its memory is given back before the uploads. A copy still waiting
   * on it (none should be) is made on this thread instead.
   */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    worker?.removeAllListeners();
    for (const [id, resolve] of this.waiting) resolve({ id });
    this.waiting.clear();
    await worker?.terminate();
  }

  private ask(request: StageRequest): Promise<StageReply> {
    const worker = this.start();
    return new Promise((resolve) => {
      this.waiting.set(request.id, resolve);
      // A thread with work in hand keeps the process alive; an idle one must not.
      worker.ref();
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!threadEntry) throw new Error('no entry registered a staging thread');

    const worker = new Worker(threadEntry, { workerData: this.data, resourceLimits: THREAD_HEAP });
    worker.on('message', (reply: StageReply) => {
      const resolve = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      resolve?.(reply);
    });
    // Out of memory, or killed: what was asked is copied on this thread instead.
    const giveUp = (reason: Error | number): void => {
      this.failure ??=
        typeof reason === 'number' ? `it exited with code ${reason}` : reason.message;
      this.broken = true;
      this.worker = null;
      for (const [id, resolve] of this.waiting) resolve({ id });
      this.waiting.clear();
    };
    worker.on('error', giveUp);
    worker.on('exit', giveUp);
    this.worker = worker;
    return worker;
  }
}

async function sizeOf(file: string | Buffer): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    // stageCopy reports why the file cannot be read.
    return 0;
  }
}
