/**
 * `npm run bench` (issue 8): measures the built action against the usual tools on this
 * machine and prints one table, each cell the median of several runs with the min–max range.
 * Sizes and run counts come from flags or the environment:
 *   --sizes 100MiB,1GiB   (BENCH_SIZES)        logs in each full-bundle tree
 *   --runs 3              (BENCH_RUNS)         runs per measurement
 *   --sparse 4GiB         (BENCH_SPARSE)       the big log of the excerpt row
 *   --upload 300MiB       (BENCH_UPLOAD)       the archive of the upload row
 *   --rows 1,2,3,4,5      (BENCH_ROWS)         which rows to run (5: CPU per step)
 * Trees are generated in a temporary directory and removed afterwards. Nothing here passes or
 * fails on time: the numbers go into the README's Performance section.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  coldStartRows,
  excerptRow,
  fullBundleRow,
  type BenchContext,
} from './bench/bundle-rows.js';
import { formatBytes, parseBytes } from './bench/stats.js';
import { stepCostTable } from './bench/step-costs.js';
import { renderTable, type Row } from './bench/table.js';
import {
  artifactUploadRow,
  httpUploadRow,
  makeArchiveFile,
  s3UploadRow,
  startLocalS3,
  uploaderIsStub,
} from './bench/upload-rows.js';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: process.env.BENCH_SIZES ?? '100MiB,1GiB' },
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '3' },
    sparse: { type: 'string', default: process.env.BENCH_SPARSE ?? '4GiB' },
    upload: { type: 'string', default: process.env.BENCH_UPLOAD ?? '300MiB' },
    rows: { type: 'string', default: process.env.BENCH_ROWS ?? '1,2,3,4,5' },
  },
});
const rows = new Set(flags.rows.split(',').map((part) => part.trim()));
const sizes = flags.sizes.split(',').map(parseBytes);
const runs = Number(flags.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1`);

const workDir = mkdtempSync(path.join(os.tmpdir(), 'k98-bench-'));
const context: BenchContext = {
  workDir,
  runs,
  notes: [],
  log: (line) => process.stderr.write(`${line}\n`),
};
const loadBefore = os.loadavg();
const cpuBefore = cpuTimes();
const table: Row[] = [];
let stepTable = '';
const started = Date.now();

try {
  if (rows.has('1')) for (const size of sizes) table.push(await fullBundleRow(context, size));
  if (rows.has('2')) table.push(await excerptRow(context, parseBytes(flags.sparse)));
  if (rows.has('3')) table.push(...(await coldStart()));
  if (rows.has('4')) {
    const archive = path.join(workDir, 'k98-diagnostics-bench.tar.gz');
    makeArchiveFile(archive, parseBytes(flags.upload));
    table.push(await s3UploadRow(context, archive));
    table.push(await httpUploadRow(context, archive));
    table.push(await artifactUploadRow(context, archive));
  }
  if (rows.has('5')) stepTable = await stepCostTable(context, sizes[0] ?? 100 * 1024 * 1024);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

const header = [
  'Measurement',
  'Action wall',
  'Action CPU',
  'Action peak RSS',
  'Baseline',
  'Baseline wall',
  'Baseline CPU',
  'Baseline peak RSS',
  'Wall ratio',
];
process.stdout.write(`\n${machine()}\n\n${renderTable(header, table)}\n\n`);
if (stepTable) process.stdout.write(`${stepTable}\n\n`);
for (const note of context.notes) process.stdout.write(`- ${note}\n`);
const took = Math.round((Date.now() - started) / 1000);
process.stdout.write(`- Median of ${runs} runs (min–max in brackets); took ${took} s.\n`);

/** Row 3, with S3 for real once the S3 uploader is merged, else with the default upload. */
async function coldStart(): Promise<Row[]> {
  if (uploaderIsStub('s3')) {
    context.notes.push(
      'Row 3: the S3 uploader is not merged yet, so the second run uses `upload: auto` ' +
        '(nothing configured) instead of an upload to S3.',
    );
    return coldStartRows(context, { label: 'upload: auto', inputs: { upload: 'auto' }, env: {} });
  }
  const server = await startLocalS3(context);
  try {
    return await coldStartRows(context, {
      label: 'upload: s3 (local)',
      inputs: {
        upload: 's3',
        's3-bucket': 'bench',
        's3-region': server.region,
        's3-endpoint': server.endpoint,
      },
      env: { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey },
    });
  } finally {
    await server.stop();
  }
}

function machine(): string {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
  let uptime = '';
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average: ${load(os.loadavg())}`;
  }
  return (
    `Machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
    `${formatBytes(os.totalmem())} memory, Node ${process.version}, ${os.platform()}.\n` +
    `Load average at start: ${load(loadBefore)}; at end: ${uptime}\n` +
    stealLine()
  );
}

/** The machine's CPU time so far from /proc/stat's first line, in ticks; null off Linux. */
function cpuTimes(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
    const ticks = fields.slice(1, 9).map(Number);
    if (ticks.length < 8 || ticks.some((tick) => !Number.isFinite(tick))) return null;
    return { total: ticks.reduce((sum, tick) => sum + tick, 0), steal: ticks[7] ?? 0 };
  } catch {
    return null;
  }
}

/**
 * On a virtual machine the host may run other guests on our cores ("steal" time); when it
 * does, a run that keeps both cores busy loses more than one that keeps one busy.
 */
function stealLine(): string {
  const after = cpuTimes();
  if (!cpuBefore || !after || after.total <= cpuBefore.total) return 'Steal time: not known.';
  const share = (after.steal - cpuBefore.steal) / (after.total - cpuBefore.total);
  return `Steal time (CPU the host gave to others) during the run: ${(share * 100).toFixed(1)} %.`;
}
