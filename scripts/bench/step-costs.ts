/**
 * Row 5 of the benchmark: where the CPU time of a full bundle goes. The steps the action
 * takes over every byte of the logs are run here one after the other on one thread, block by
 * block, each timed on its own, next to what `tar -czf` spends on the same files. The sum is
 * the work the action must spread over the cores; the table shows which step costs what.
 */
import { createHash } from 'node:crypto';
import { open, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

import { GZIP_BLOCK_BYTES } from '../../src/pack/parallel-gzip.js';
import { Redactor } from '../../src/redact/scrubber.js';
import type { BenchContext } from './bundle-rows.js';
import { makeBotTree } from './bot-tree.js';
import { measure } from './measure.js';
import { formatBytes, spread, type Spread } from './stats.js';
import { renderTable, type Row } from './table.js';

const STEPS = {
  read: 'read the files (1 MiB blocks)',
  scrub: 'scrub (latin1 text, every credential pattern)',
  hash: 'hash (SHA-256, for the manifest)',
  deflate: 'compress (zlib level 6, 1 MiB gzip members)',
  inflate: 'read-back check (inflate)',
} as const;
type Step = keyof typeof STEPS;

/** The table of row 5: one line per step, CPU median (min–max) over the runs. */
export async function stepCostTable(context: BenchContext, logBytes: number): Promise<string> {
  const tree = path.join(context.workDir, `steps-${logBytes}`);
  context.log(`step costs: generating a bot tree with ${formatBytes(logBytes)} of logs`);
  await makeBotTree(tree, logBytes);
  const files = await filesUnder(tree);

  const perStep = new Map<Step, number[]>();
  const tarCpu: number[] = [];
  for (let run = 0; run < context.runs; run++) {
    context.log(`  step costs: run ${run + 1}`);
    const costs = await timeSteps(files);
    for (const [step, ms] of costs) perStep.set(step, [...(perStep.get(step) ?? []), ms]);
    // Not /dev/null: GNU tar notices it and skips reading the files.
    const archive = path.join(context.workDir, 'steps-baseline.tar.gz');
    const tar = await measure('tar', ['-czf', archive, '-C', tree, 'logs', 'data']);
    tarCpu.push(tar.cpuMs);
  }
  await rm(tree, { recursive: true, force: true });

  const tarMedian = spread(tarCpu).median;
  const rows: Row[] = [];
  let total = 0;
  for (const [step, label] of Object.entries(STEPS) as Array<[Step, string]>) {
    const cost = spread(perStep.get(step) ?? []);
    total += cost.median;
    rows.push([label, cpu(cost), share(cost.median, tarMedian)]);
  }
  rows.push(['sum of the steps above', `${(total / 1000).toFixed(2)} s`, share(total, tarMedian)]);
  rows.push(['tar -czf, the same files', cpu(spread(tarCpu)), share(tarMedian, tarMedian)]);
  const header = [`5. CPU per step, ${formatBytes(logBytes)} of logs`, 'CPU', 'of tar -czf'];
  return renderTable(header, rows);
}

/** Runs every step over every block of `files`, timing each step's CPU separately. */
async function timeSteps(files: string[]): Promise<Map<Step, number>> {
  const costs = new Map<Step, number>(Object.keys(STEPS).map((step) => [step as Step, 0]));
  const charge = <T>(step: Step, work: () => T): T => {
    const before = process.cpuUsage();
    const result = work();
    const used = process.cpuUsage(before);
    costs.set(step, (costs.get(step) ?? 0) + (used.user + used.system) / 1000);
    return result;
  };
  const redactor = new Redactor([]);

  for (const file of files) {
    const handle = await open(file, 'r');
    const hash = createHash('sha256');
    try {
      for (let position = 0; ;) {
        const block = Buffer.allocUnsafe(GZIP_BLOCK_BYTES);
        const started = process.cpuUsage();
        const { bytesRead } = await handle.read(block, 0, block.length, position);
        const read = process.cpuUsage(started);
        costs.set('read', (costs.get('read') ?? 0) + (read.user + read.system) / 1000);
        if (bytesRead === 0) break;
        position += bytesRead;

        const bytes = block.subarray(0, bytesRead);
        const scrubbed = charge('scrub', () => {
          const text = redactor.scrubLatin1(bytes.toString('latin1')).text;
          return Buffer.from(text, 'latin1');
        });
        charge('hash', () => hash.update(scrubbed));
        const member = charge('deflate', () => zlib.gzipSync(scrubbed, { level: 6 }));
        charge('inflate', () => zlib.gunzipSync(member));
      }
    } finally {
      await handle.close();
    }
    hash.digest();
  }
  return costs;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function cpu(values: Spread): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${s(values.median)} s (${s(values.min)}–${s(values.max)})`;
}

function share(ms: number, tarMs: number): string {
  return `${(ms / tarMs).toFixed(2)}×`;
}
