/**
 * Runs one process and measures it: wall time from spawn to exit, time to the first line of
 * output, and what /usr/bin/time -v reports (CPU user + system, peak resident memory).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Measurement {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  /** From spawn to the first byte on stdout (or stderr); null when nothing was printed. */
  firstOutputMs: number | null;
  code: number | null;
  output: string;
}

export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs `command args` under /usr/bin/time -v and measures it. */
export async function measure(
  command: string,
  args: string[],
  options: MeasureOptions = {},
): Promise<Measurement> {
  const dir = mkdtempSync(path.join(tmpdir(), 'k98-bench-time-'));
  const timeFile = path.join(dir, 'time');
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, command, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
  });

  let firstOutputMs: number | null = null;
  let output = '';
  const onData = (chunk: Buffer) => {
    firstOutputMs ??= elapsed();
    // Enough to explain a failure; the full log of a large run is not needed.
    if (output.length < 64 * 1024) output += chunk.toString();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = elapsed();

  const report = readFileSync(timeFile, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const seconds = (label: string) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(report)?.[1]);
  const kib = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1]);
  return {
    wallMs,
    cpuMs: (seconds('User time \\(seconds\\)') + seconds('System time \\(seconds\\)')) * 1000,
    peakRssBytes: kib * 1024,
    firstOutputMs,
    code,
    output,
  };
}

/** Runs `measure` `runs` times in a row; throws when a run fails, with its output. */
export async function measureRuns(
  runs: number,
  start: () => Promise<Measurement>,
  label: string,
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (let run = 0; run < runs; run++) {
    const result = await start();
    if (result.code !== 0) {
      throw new Error(`${label} exited with ${result.code}:\n${result.output.slice(-4000)}`);
    }
    results.push(result);
  }
  return results;
}
