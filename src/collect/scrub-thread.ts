import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { Redactor } from '../redact/scrubber.js';
import type { ScrubReply, ScrubRequest, ScrubWorkerData } from './scrub-protocol.js';
import { stageCopy, type CopyPlan, type StagedFile } from './stage-file.js';
import { ThreadScrub, type Counter } from './thread-scrub.js';

/** Copies a file into the staging directory, scrubbing it unless `redactor` is null. */
export type CopyFile = (
  file: string | Buffer,
  stagingDir: string,
  archivePath: string,
  maxBytes: number,
  redactor: Redactor | null,
) => Promise<StagedFile & CopyPlan>;

/** Files smaller than this are scrubbed on the main thread: a trip to the worker costs more. */
export const THREAD_MIN_BYTES = 1024 * 1024;

/**
 * Heap limits of the scrubbing thread. Its garbage is the windows it scrubs (large strings),
 * which V8 frees only at a full collection: a small heap collects them often, so they never
 * pile up (24 MB gave a 1 GiB bundle a peak 6 MB lower than 48 MB; 16 MB, 2 MB lower again).
 * Node 22 and later run some 18 MB higher, so there the old generation is 10 MB: 4 MB less
 * at the peak for 3 % more CPU (on Node 20 it cost 10 %, and 8 MB thrashed).
 * A window's work needs a few MB; should the thread still run out, the file is scrubbed here.
 */
const THREAD_HEAP = {
  maxYoungGenerationSizeMb: 4,
  maxOldGenerationSizeMb: Number(process.versions.node.split('.')[0]) >= 22 ? 10 : 16,
};

/**
 * How long the thread may keep a request unanswered. A window takes it well under a second;
 * a thread stuck for this long (spinning, thrashing near its heap limit) is stopped and the
 * file scrubbed here, instead of the whole job waiting on it until the runner kills it.
 */
export const THREAD_STALL_MS = 60_000;

/** The module that starts a scrubbing thread; set by the entry points (registerScrubThread). */
let threadEntry: URL | null = null;

/**
 * Called by an entry module with its own URL: that module, started as a worker, serves
 * scrubbing (see startEntry in scrub-worker.ts). A bundled build has no separate worker file,
 * so the entry itself is the worker. Without an entry, every file is scrubbed on this thread.
 */
export function registerScrubThread(entry: URL): void {
  threadEntry = entry;
}

/** The thread stopped (out of memory, killed): the copy it was part of is made again here. */
class ThreadStopped extends Error {}

/**
 * Scrubs large files on a worker thread, the costliest work per byte, while this thread reads
 * them, hashes them and hands their blocks to the compressor (libuv's pool): the scrubbing
 * then runs beside everything else instead of before it. Large files are staged compressed
 * at `gzipLevel`, so their compression runs while they are scrubbed, not once they are whole
 * (StreamingPacker takes them as they are). Files are staged one at a time, in the order the
 * bundle's budget needs.
 */
export class ScrubThread {
  private worker: Worker | null = null;
  /** Per stream, the resolvers of its requests in the order they went. */
  private readonly waiting = new Map<number, Array<Settle>>();
  private nextStream = 0;
  private broken = false;
  /** Armed while a reply is awaited; re-armed by each reply. */
  private stallTimer: NodeJS.Timeout | null = null;
  /** How many files were scrubbed on the thread (the rest were scrubbed here). */
  copiesOnThread = 0;
  /** Why the thread stopped early, if it did (everything was then scrubbed here). */
  failure: string | null = null;

  constructor(
    private readonly data: ScrubWorkerData,
    private readonly gzipLevel: number,
    private readonly minBytes = THREAD_MIN_BYTES,
    private readonly stallMs = THREAD_STALL_MS,
  ) {}

  /** A scrubbing thread for this redactor's secrets, or null when no entry registered one. */
  static for(
    redactor: Redactor,
    gzipLevel: number,
    minBytes = THREAD_MIN_BYTES,
    stallMs = THREAD_STALL_MS,
  ): ScrubThread | null {
    if (!threadEntry) return null;
    const data: ScrubWorkerData = {
      k98ScrubWorker: true,
      secretValues: redactor.secretValues,
      userPatterns: redactor.userPatterns,
    };
    return new ScrubThread(data, gzipLevel, minBytes, stallMs);
  }

  /** Starts the thread now, so that its start-up overlaps the small files before the first. */
  warmUp(): void {
    if (!this.broken) this.start();
  }

  /** Same contract as stageCopy(); large files are scrubbed on the thread and gzipped. */
  readonly copy: CopyFile = async (file, stagingDir, archivePath, maxBytes, redactor) => {
    if ((await sizeOf(file)) < this.minBytes) {
      return stageCopy(file, stagingDir, archivePath, maxBytes, redactor);
    }
    const onThread = redactor !== null && !this.broken;
    const scrubStream = onThread ? (counter: Counter) => this.scrubStream(counter) : undefined;
    try {
      const staged = await stageCopy(file, stagingDir, archivePath, maxBytes, redactor, {
        gzipLevel: this.gzipLevel,
        scrubStream,
      });
      if (onThread) this.copiesOnThread++;
      return staged;
    } catch (error) {
      if (!(error instanceof ThreadStopped)) throw error;
      // What was half written is replaced by a copy scrubbed here.
      await rm(path.join(stagingDir, archivePath), { force: true });
      return stageCopy(file, stagingDir, archivePath, maxBytes, redactor, {
        gzipLevel: this.gzipLevel,
      });
    }
  };

  /** Stops the thread, so its memory is given back before the uploads. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    worker?.removeAllListeners();
    this.clearStallTimer();
    this.rejectAll('the scrubbing thread was closed');
    await worker?.terminate();
  }

  private scrubStream(counter: Counter): ThreadScrub {
    const stream = this.nextStream++;
    return new ThreadScrub(stream, counter, (request) => this.send(request));
  }

  private send(request: ScrubRequest): Promise<ScrubReply> {
    if (this.broken) return Promise.reject(new ThreadStopped(this.failure ?? 'stopped'));
    const worker = this.start();
    return new Promise((resolve, reject) => {
      // A dropped stream gets no answer.
      if (request.drop) resolve({ stream: request.stream, redactions: 0 });
      else this.waiting.set(request.stream, [...this.queueOf(request.stream), { resolve, reject }]);
      // A thread with work in hand keeps the process alive; an idle one must not.
      worker.ref();
      if (!request.drop) this.stallTimer ??= this.watchForStall(worker);
      const bytes = request.bytes;
      worker.postMessage(request, bytes ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  private queueOf(stream: number): Settle[] {
    return this.waiting.get(stream) ?? [];
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!threadEntry) throw new Error('no entry registered a scrubbing thread');

    const worker = new Worker(threadEntry, { workerData: this.data, resourceLimits: THREAD_HEAP });
    worker.unref();
    worker.on('message', (reply: ScrubReply) => {
      this.clearStallTimer();
      const queue = this.waiting.get(reply.stream) ?? [];
      const settle = queue.shift();
      if (queue.length === 0) this.waiting.delete(reply.stream);
      if (this.waiting.size === 0) worker.unref();
      else this.stallTimer = this.watchForStall(worker);
      if (reply.error) settle?.reject(new Error(`scrubbing failed: ${reply.error}`));
      else settle?.resolve(reply);
    });
    // Out of memory, or killed: what was asked is scrubbed on this thread instead.
    const giveUp = (reason: Error | number): void =>
      this.giveUp(typeof reason === 'number' ? `it exited with code ${reason}` : reason.message);
    worker.on('error', giveUp);
    worker.on('exit', giveUp);
    this.worker = worker;
    return worker;
  }

  /** The thread cannot be relied on any more: what was asked of it is done here instead. */
  private giveUp(reason: string): void {
    this.failure ??= reason;
    this.broken = true;
    this.worker = null;
    this.clearStallTimer();
    this.rejectAll(this.failure);
  }

  private watchForStall(worker: Worker): NodeJS.Timeout {
    return setTimeout(() => {
      this.giveUp(`it answered nothing for ${this.stallMs / 1000} s`);
      worker.removeAllListeners();
      void worker.terminate();
    }, this.stallMs);
  }

  private clearStallTimer(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  private rejectAll(reason: string): void {
    for (const queue of this.waiting.values()) {
      for (const settle of queue) settle.reject(new ThreadStopped(reason));
    }
    this.waiting.clear();
  }
}

type Settle = { resolve: (reply: ScrubReply) => void; reject: (error: Error) => void };

async function sizeOf(file: string | Buffer): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    // stageCopy reports why the file cannot be read.
    return 0;
  }
}
