import { spawn } from 'node:child_process';

import { BoundedCapture } from './bounded-capture.js';
import {
  exitCodeMeaning,
  isPytestCommand,
  skippedRecord,
  type CommandName,
  type CommandRecord,
} from './outcome.js';
import { shellInvocation } from './shell.js';

/** How long a process group gets between SIGTERM (or the forwarded signal) and SIGKILL. */
export const KILL_GRACE_MS = 3000;

export interface CommandSpec {
  name: CommandName;
  command: string;
  cwd: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  /** Where the captured output goes. */
  logFile: string;
  /** Most bytes of output kept in the log file. */
  maxLogBytes: number;
  /** Receives the output live (the step log). */
  live: (chunk: Buffer) => void;
  /** Aborted when the job is cancelled; its reason is the signal to forward. */
  cancel: AbortSignal;
}

/**
 * Runs one command in its own process group, bounded by a timeout. On timeout or
 * cancellation the whole group is signalled and then killed, so a grandchild that ignores
 * SIGTERM cannot outlive the step.
 */
export async function runCommand(spec: CommandSpec): Promise<CommandRecord> {
  const record = skippedRecord(spec.name, spec.command, spec.cwd);
  if (spec.cancel.aborted) return { ...record, outcome: 'cancelled' };

  const capture = new BoundedCapture(spec.logFile, spec.maxLogBytes / 2, spec.maxLogBytes / 2);
  const shell = shellInvocation(spec.command);
  const started = Date.now();
  record.start = new Date(started).toISOString();
  record.log_path = spec.logFile;

  const child = spawn(shell.file, shell.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onOutput = (chunk: Buffer): void => {
    capture.write(chunk);
    spec.live(chunk);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  let stopReason: 'timed-out' | 'cancelled' | null = null;
  const stopGroup = (reason: 'timed-out' | 'cancelled', signal: NodeJS.Signals): void => {
    if (stopReason) return;
    stopReason = reason;
    signalGroup(child.pid, signal);
    setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
  };
  const timer = setTimeout(() => stopGroup('timed-out', 'SIGTERM'), spec.timeoutMs);
  const onCancel = (): void => stopGroup('cancelled', cancelSignal(spec.cancel));
  spec.cancel.addEventListener('abort', onCancel, { once: true });

  const [exitCode, signal, spawnError] = await waitForExit(child);
  clearTimeout(timer);
  spec.cancel.removeEventListener('abort', onCancel);
  await reapGroup(child.pid);
  await outputDrained(child);
  capture.close();

  const ended = Date.now();
  record.end = new Date(ended).toISOString();
  record.duration_ms = ended - started;
  record.exit_code = exitCode;
  record.signal = signal;
  record.exit_code_meaning = spawnError
    ? `could not start: ${spawnError.message}`
    : exitCodeMeaning(spec.command, exitCode, signal);
  record.outcome = stopReason ?? outcomeOf(spec.command, exitCode, spawnError);
  return record;
}

function outcomeOf(command: string, exitCode: number | null, spawnError: Error | null) {
  if (spawnError || exitCode !== 0) {
    return exitCode === 5 && isPytestCommand(command) ? 'no-tests' : 'failure';
  }
  return 'success';
}

function cancelSignal(cancel: AbortSignal): NodeJS.Signals {
  return cancel.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
}

function waitForExit(
  child: ReturnType<typeof spawn>,
): Promise<[number | null, string | null, Error | null]> {
  return new Promise((resolve) => {
    child.once('error', (error) => resolve([null, null, error]));
    child.once('exit', (code, signal) => resolve([code, signal, null]));
  });
}

/** Waits (briefly) for the last output after the group is gone. */
function outputDrained(child: ReturnType<typeof spawn>): Promise<void> {
  const closed = (stream: NodeJS.ReadableStream | null): Promise<void> =>
    new Promise((resolve) => {
      if (!stream || (stream as unknown as { closed?: boolean }).closed) resolve();
      else stream.once('close', () => resolve());
    });
  const drained = Promise.all([closed(child.stdout), closed(child.stderr)]).then(() => undefined);
  return Promise.race([drained, sleep(2000)]);
}

/** Signals every process of the group led by `pid`; a group already gone is fine. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group has already exited
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * After the leader exits, processes it left in its group (a server a test forgot, a child
 * that ignores SIGTERM) would hold the output pipes open and outlive the step: end them.
 */
async function reapGroup(pid: number | undefined): Promise<void> {
  if (!pid || !groupAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + KILL_GRACE_MS;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (groupAlive(pid) && Date.now() < deadline + 2000) await sleep(50);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
