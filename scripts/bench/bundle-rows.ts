/**
 * Rows 1–3 of the benchmark: the full bundle against `tar -czf`, excerpts of a huge sparse
 * log against a small one, and cold start with and without the S3 library.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import type { InputName } from '../../src/inputs/definitions.js';
import { actionEnv, fullBundleInputs } from './action-env.js';
import { makeBotTree, makeLog, makeSparseLog } from './bot-tree.js';
import { measure, measureRuns, type Measurement } from './measure.js';
import { formatBytes, megabytes, millis, ratio, seconds, spread } from './stats.js';
import type { Row } from './table.js';

export const ACTION_ENTRY = path.resolve(import.meta.dirname, '../../dist/index.js');

export interface BenchContext {
  workDir: string;
  runs: number;
  notes: string[];
  log: (line: string) => void;
}

/** Runs the built action with these inputs, as the runner would. */
export function runAction(
  context: BenchContext,
  inputs: Partial<Record<InputName, string>>,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Measurement> {
  const env = { ...actionEnv(path.join(context.workDir, 'runner'), inputs), ...extraEnv };
  return measure(process.execPath, [ACTION_ENTRY], { env, cwd: context.workDir });
}

/** The columns every row fills: what, then action and baseline wall/CPU/memory, then ratio. */
export function row(
  what: string,
  action: Measurement[],
  baselineName: string,
  baseline: Measurement[] | null,
): Row {
  const wall = spread(action.map((run) => run.wallMs));
  const cells = [
    what,
    seconds(wall),
    seconds(spread(action.map((run) => run.cpuMs))),
    megabytes(spread(action.map((run) => run.peakRssBytes))),
    baselineName,
  ];
  if (!baseline) return [...cells, '–', '–', '–', '–'];
  const baseWall = spread(baseline.map((run) => run.wallMs));
  return [
    ...cells,
    seconds(baseWall),
    seconds(spread(baseline.map((run) => run.cpuMs))),
    megabytes(spread(baseline.map((run) => run.peakRssBytes))),
    ratio(wall.median / baseWall.median),
  ];
}

/** Row 1: the whole bundle of a tree of `logBytes` logs, against GNU tar + gzip. */
export async function fullBundleRow(context: BenchContext, logBytes: number): Promise<Row> {
  const tree = path.join(context.workDir, `tree-${logBytes}`);
  const out = path.join(context.workDir, 'out');
  context.log(`generating a bot tree with ${formatBytes(logBytes)} of logs`);
  await makeBotTree(tree, logBytes);

  // Alternate action and tar so both see the same background load.
  const action: Measurement[] = [];
  const tar: Measurement[] = [];
  for (let run = 0; run < context.runs; run++) {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    context.log(`  full bundle ${formatBytes(logBytes)}: action run ${run + 1}`);
    action.push(
      ...(await measureRuns(1, () => runAction(context, fullBundleInputs(tree, out)), 'action')),
    );
    const actionArchive = archiveSize(out);
    context.log(`  full bundle ${formatBytes(logBytes)}: tar run ${run + 1}`);
    const tarFile = path.join(context.workDir, 'baseline.tar.gz');
    tar.push(
      ...(await measureRuns(
        1,
        () => measure('tar', ['-czf', tarFile, '-C', tree, 'logs', 'data']),
        'tar',
      )),
    );
    if (run === 0) {
      const tarSize = statSync(tarFile).size;
      context.notes.push(
        `Full bundle ${formatBytes(logBytes)}: action archive ${formatBytes(actionArchive)}, ` +
          `tar -czf ${formatBytes(tarSize)}.`,
      );
    }
  }
  rmSync(tree, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  return row(`1. full bundle, ${formatBytes(logBytes)} of logs`, action, 'tar -czf', tar);
}

function archiveSize(dir: string): number {
  const archive = readdirSync(dir).find((name) => name.endsWith('.tar.gz'));
  if (!archive) throw new Error(`the action wrote no archive in ${dir}`);
  return statSync(path.join(dir, archive)).size;
}

/** Row 2: head and tail excerpts of a sparse log of `bigBytes`, against a 1 MiB log. */
export async function excerptRow(context: BenchContext, bigBytes: number): Promise<Row> {
  const big = path.join(context.workDir, 'excerpt-big');
  const small = path.join(context.workDir, 'excerpt-small');
  makeSparseLog(path.join(big, 'logs', 'log.txt'), bigBytes);
  await makeLog(path.join(small, 'logs', 'log.txt'), 1024 * 1024);
  const out = path.join(context.workDir, 'out');
  const inputs = (tree: string) => ({
    ...fullBundleInputs(tree, out),
    'include-logs': 'false',
  });

  const action: Measurement[] = [];
  const baseline: Measurement[] = [];
  for (let run = 0; run < context.runs; run++) {
    context.log(`  excerpts: run ${run + 1}`);
    action.push(...(await measureRuns(1, () => runAction(context, inputs(big)), 'action')));
    baseline.push(...(await measureRuns(1, () => runAction(context, inputs(small)), 'action')));
  }
  rmSync(big, { recursive: true, force: true });
  rmSync(small, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  return row(
    `2. excerpts only, ${formatBytes(bigBytes)} sparse log`,
    action,
    'same, 1 MiB log',
    baseline,
  );
}

/**
 * Row 3: from process start to the first log line and to exit, on a small tree. `s3` gives the
 * inputs and environment of a run that uploads to S3; without it the run uploads nowhere.
 */
export async function coldStartRows(
  context: BenchContext,
  s3: { label: string; inputs: Partial<Record<InputName, string>>; env: NodeJS.ProcessEnv },
): Promise<Row[]> {
  const tree = path.join(context.workDir, 'cold-tree');
  await makeBotTree(tree, 1024 * 1024);
  const out = path.join(context.workDir, 'out');
  const plain: Measurement[] = [];
  const withS3: Measurement[] = [];
  // One more run than the others, dropped: the first pays for a cold disk cache.
  for (let run = 0; run <= context.runs; run++) {
    context.log(`  cold start: run ${run + 1}`);
    const a = await runAction(context, fullBundleInputs(tree, out));
    const b = await runAction(context, { ...fullBundleInputs(tree, out), ...s3.inputs }, s3.env);
    if (a.code !== 0) throw new Error(`cold start run failed:\n${a.output.slice(-4000)}`);
    if (b.code !== 0) throw new Error(`cold start (${s3.label}) failed:\n${b.output.slice(-4000)}`);
    if (run > 0) {
      plain.push(a);
      withS3.push(b);
    }
  }
  rmSync(tree, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });

  const first = (runs: Measurement[]) =>
    millis(spread(runs.map((run) => run.firstOutputMs ?? NaN)));
  return [
    [
      '3. cold start, upload: none',
      `first line ${first(plain)}`,
      seconds(spread(plain.map((run) => run.cpuMs))),
      megabytes(spread(plain.map((run) => run.peakRssBytes))),
      s3.label,
      `first line ${first(withS3)}`,
      seconds(spread(withS3.map((run) => run.cpuMs))),
      megabytes(spread(withS3.map((run) => run.peakRssBytes))),
      ratio(
        spread(plain.map((run) => run.firstOutputMs ?? NaN)).median /
          spread(withS3.map((run) => run.firstOutputMs ?? NaN)).median,
      ),
    ],
    row('3. cold start to exit, upload: none', plain, s3.label, withS3),
  ];
}
