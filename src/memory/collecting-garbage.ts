import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/**
 * How often buffer memory is looked at while work runs (a cheap counter read). On a fast
 * machine a bundle makes some 20 MiB of buffers in 50 ms: checked that seldom, a 1 GiB bundle
 * peaked at 175 MB on Node 24 (on a machine where tar packs 1 GiB in 17 s).
 */
const CHECK_INTERVAL_MS = 20;

/**
 * V8's `gc` function, or undefined where it cannot be had. An action cannot pass `--expose-gc`
 * (the runner starts `node dist/index.js`), but a context created while the flag is set at run
 * time gets a global `gc`; the flag is switched back off at once.
 */
function loadGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/**
 * A tighter rule for when the process is close to its memory limit: once its resident set
 * has reached `rssBytes`, a collection is forced after only `growth` bytes of new buffers.
 */
export interface NearLimit {
  rssBytes: number;
  growth: number;
}

/**
 * Runs `body` while forcing a full garbage collection whenever buffer memory has grown by
 * `growth` bytes over its lowest level since the last collection. Streams of large Buffers
 * leave spent ones that only a full collection frees, and V8 starts one late: after some
 * 64 MB of new buffer memory on Node 20, later still on Node 24, whose main thread held 78 MB
 * of buffers while packing a 100 MiB bundle (its peak 180-190 MiB instead of 130-143).
 * - The artifact upload (one block's growth, 4 MiB): @actions/artifact reads the file into a
 *   fresh buffer per block and keeps about five alive in its streams (a 256 MiB archive in
 *   4 MiB blocks peaked at 151-177 MiB on Node 24 instead of 131-135). Each collection of the
 *   small heap pauses the upload for 10-25 ms here.
 * - The bundle (16 MiB growth): the blocks read, scrubbed, compressed and read back. A 1 GiB
 *   bundle peaked at 126-132 MiB on Node 20 and 148-149 MiB on Node 24 (24 MiB growth
 *   checked every 50 ms: 143 and 167 MiB), for some 170 collections and 1.1-1.8 s of pauses.
 *   Past 136 MB resident it collects after 8 MiB (`nearLimit`): on a faster machine Node 24
 *   reached 146-153 MB; with that and a smaller scrubbing-thread heap, 140-144 MB.
 * Where `gc` cannot be had, `body` runs as it is.
 */
export async function collectingGarbage<T>(
  growth: number,
  debug: (message: string) => void,
  body: () => Promise<T>,
  nearLimit?: NearLimit,
): Promise<T> {
  const gc = loadGc();
  if (!gc) {
    debug('V8 gc is not available; no garbage collection is forced');
    return body();
  }

  // The lowest level, not the level right after a collection: buffers are freed by a
  // background sweeper, so the drop shows a little later.
  let floor = process.memoryUsage().arrayBuffers;
  let collections = 0;
  let tightCollections = 0;
  let pausedMs = 0;
  const timer = setInterval(() => {
    // One read gives both: memoryUsage() reads the resident set whatever is asked of it.
    const usage = process.memoryUsage();
    floor = Math.min(floor, usage.arrayBuffers);
    const grown = usage.arrayBuffers - floor;
    const tight =
      nearLimit !== undefined && grown >= nearLimit.growth && usage.rss >= nearLimit.rssBytes;
    if (grown < growth && !tight) return;

    // Blocking, so the dead blocks are gone before the next read: V8's asynchronous mode
    // (`execution: 'async'`) paused less but let another block pile up (peaks to 146 MiB).
    const started = performance.now();
    gc();
    pausedMs += performance.now() - started;
    collections++;
    if (tight && grown < growth) tightCollections++;
    floor = process.memoryUsage().arrayBuffers;
  }, CHECK_INTERVAL_MS);
  timer.unref();
  try {
    return await body();
  } finally {
    clearInterval(timer);
    const early = nearLimit ? ` (${tightCollections} early, near the memory limit)` : '';
    debug(`Forced ${collections} garbage collections${early}, ${Math.round(pausedMs)} ms in all`);
  }
}
