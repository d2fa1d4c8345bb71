import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { collectBundle, type StagedBundle } from './collect/index.js';
import { stageContent } from './collect/stage-file.js';
import { ScrubThread } from './collect/scrub-thread.js';
import { collectingGarbage } from './memory/collecting-garbage.js';
import { errorMessage } from './errors.js';
import type { Inputs } from './inputs/read.js';
import type { BundleResult } from './pack/manifest-types.js';
import { reserveArchivePath } from './pack/archive-name.js';
import { StreamingPacker } from './pack/archive.js';
import { sealBundle } from './pack/index.js';
import { LiveLineScrubber } from './redact/live-lines.js';
import { Redactor } from './redact/scrubber.js';
import { secretValues } from './redact/secrets.js';
import { inGroup, type Reporter } from './report/reporter.js';
import { runCommand } from './run/command.js';
import { commandEnvironment } from './run/env.js';
import { uploadEverywhere } from './upload/index.js';
import type { UploadResult } from './upload/types.js';
import { skippedRecord, type CommandName, type CommandRecord } from './run/outcome.js';

/** What one run of the pipeline works with, whoever started it (the action or the CLI). */
export interface PipelineContext {
  inputs: Inputs;
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  /** Aborted when the job is cancelled (SIGINT/SIGTERM); its reason names the signal. */
  cancel: AbortSignal;
  /** Where the commands' output goes live. */
  live: (chunk: Buffer) => void;
  /** A private scratch directory for this run (command logs, staging). */
  workDir: string;
  redactor: Redactor;
  /** Told the archive's path once it is reserved, before a byte of it is written. */
  onArchiveReserved?: (archivePath: string) => void;
  /** A post step uploads when this run is cancelled (the action's main step; not the CLI). */
  postStepUploads?: boolean;
}

/**
 * Registers every secret with the reporter (so the step log masks it) and builds the redactor
 * for the bundle. Must run before anything is logged.
 */
export function prepareSecrets(inputs: Inputs, env: NodeJS.ProcessEnv, reporter: Reporter) {
  const values = secretValues(env, inputs.redactEnvNames);
  for (const extra of [inputs.upload.http.token, inputs.incident.token]) {
    if (extra && !values.includes(extra)) values.push(extra);
  }
  for (const value of values) reporter.setSecret(value);
  return new Redactor(values, inputs.redactPatterns);
}

/** Buffer memory a bundle's streams may leave behind before a collection is forced. */
const BUNDLE_GARBAGE_GROWTH = 16 * 1024 * 1024;

/**
 * Past this resident set, a collection is forced after 8 MiB instead. Node 24 runs some
 * 18 MB above Node 20 all through a bundle (its binary's code alone is 10 MB more), which
 * left a 1 GiB bundle at 146-153 MB against the 150 MB target; Node 20 stays below this.
 */
const BUNDLE_NEAR_LIMIT = { rssBytes: 136e6, growth: 8 * 1024 * 1024 };

/** A scratch directory under RUNNER_TEMP (or the system temp) for one run. */
export async function makeWorkDir(env: NodeJS.ProcessEnv): Promise<string> {
  const base = env.RUNNER_TEMP && env.GITHUB_ACTIONS === 'true' ? env.RUNNER_TEMP : os.tmpdir();
  await mkdir(base, { recursive: true });
  return mkdtemp(path.join(base, 'k98-run-'));
}

export function removeWorkDir(workDir: string): Promise<void> {
  return rm(workDir, { recursive: true, force: true });
}

/** Step 1: the smoke check, then the tests, each bounded and killed as a process tree. */
export async function runChecks(context: PipelineContext): Promise<CommandRecord[]> {
  const { inputs } = context;
  const commands: Array<[CommandName, string]> = [
    ['smoke', inputs.smokeCommand],
    ['tests', inputs.testCommand],
  ];
  const records: CommandRecord[] = [];
  await mkdir(path.join(context.workDir, 'commands'), { recursive: true });

  for (const [name, command] of commands) {
    if (!inputs.runCommands || !command) {
      records.push(skippedRecord(name, command, inputs.workingDirectory));
      continue;
    }
    const live = new LiveLineScrubber(context.redactor, context.live);
    const record = await inGroup(context.reporter, `Run ${name}: ${command}`, () =>
      runCommand({
        name,
        command,
        cwd: inputs.workingDirectory,
        timeoutMs: inputs.timeoutMs,
        env: commandEnvironment(context.env),
        logFile: path.join(context.workDir, 'commands', `${name}.log`),
        maxLogBytes: inputs.maxFileSize,
        live: (chunk) => live.push(chunk),
        cancel: context.cancel,
      }).finally(() => live.flush()),
    );
    const seconds = (record.duration_ms / 1000).toFixed(1);
    context.reporter.info(
      `${name}: ${record.outcome} (exit ${record.exit_code ?? record.signal ?? '-'}, ${seconds} s)`,
    );
    records.push(record);
  }
  return records;
}

/** Extra files to put in meta/ before sealing (the summary, test reports). */
export type BundleAddition = { archivePath: string; content: string | Buffer };

/**
 * Steps 2 and 3: collect everything into a staging directory, then pack and verify the
 * archive. Collection never stops for a file; packing throws only when no whole archive
 * could be made.
 */
export async function buildBundle(
  context: PipelineContext,
  commands: CommandRecord[],
  additions: (staging: string) => Promise<BundleAddition[]> = async () => [],
): Promise<BundleResult> {
  const { inputs, reporter } = context;
  const stagingDir = path.join(context.workDir, 'bundle');
  await mkdir(stagingDir, { recursive: true });

  return inGroup(reporter, 'Collect diagnostics', async () => {
    const archivePath = reserveArchivePath(inputs.output, context.env, process.cwd());
    context.onArchiveReserved?.(archivePath);
    const packer = new StreamingPacker(stagingDir, archivePath, inputs.compressionLevel);
    const scrubThread = ScrubThread.for(context.redactor, inputs.compressionLevel);
    // Whole files are about to be copied: the thread starts while the small files are made.
    if (inputs.includeLogs || inputs.extraPaths.length > 0) scrubThread?.warmUp();
    try {
      return await collectingGarbage(
        BUNDLE_GARBAGE_GROWTH,
        (message) => reporter.debug(message),
        () => collectAndSeal(context, commands, additions, packer, archivePath, scrubThread),
        BUNDLE_NEAR_LIMIT,
      );
    } catch (error) {
      // A file system error while staging files in the work directory (a full disk there is
      // not fixed by another `output`), or any other failure to make the archive.
      const inStaging = !packer.failed && (error as NodeJS.ErrnoException).code !== undefined;
      const message = inStaging
        ? stagingFailure(stagingDir, error)
        : archiveFailure(archivePath, error);
      // Never leave a partial archive that looks like a real one.
      packer.abort();
      await rm(archivePath, { force: true });
      throw new Error(message);
    } finally {
      const thread = scrubThread;
      if (thread?.failure) reporter.debug(`The scrubbing thread stopped: ${thread.failure}`);
      if (thread) reporter.debug(`${thread.copiesOnThread} files scrubbed on the scrubbing thread`);
      // Its memory is better spent on the uploads.
      await scrubThread?.close();
    }
  });
}

function archiveFailure(archivePath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC'
      ? '; free some space there, or set `output` to a disk with room'
      : code === 'EACCES' || code === 'EROFS'
        ? '; set `output` to a writable place'
        : '';
  return `could not write ${archivePath}: ${errorMessage(error)}${hint}`;
}

function stagingFailure(stagingDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC' ? "; free some space there (the runner's temporary directory)" : '';
  return `could not stage the bundle's files in ${stagingDir}: ${errorMessage(error)}${hint}`;
}

async function collectAndSeal(
  context: PipelineContext,
  commands: CommandRecord[],
  additions: (staging: string) => Promise<BundleAddition[]>,
  packer: StreamingPacker,
  archivePath: string,
  scrubThread: ScrubThread | null,
): Promise<BundleResult> {
  const { inputs, reporter } = context;
  const stagingDir = path.join(context.workDir, 'bundle');
  const staged = await collectBundle({
    ...inputs,
    stagingDir,
    commands,
    env: context.env,
    redactor: context.redactor,
    copyFile: scrubThread?.copy,
    warn: (message) => reporter.warning(message),
    debug: (message) => reporter.debug(message),
    onStaged: (file, staged) => packer.add(file, staged.gzipped ? staged : undefined),
    onStaging: (active) => packer.waitForInput(active),
    archivePath,
  });
  await addFiles(context, staged, await additions(stagingDir), packer);

  const kept = staged.records.filter((record) => record.path).length;
  const problems = staged.errors.length;
  reporter.info(
    `Collected ${kept} files; ${problems} ${problems === 1 ? 'problem' : 'problems'} ` +
      'noted in meta/errors.txt',
  );
  const bundle = await sealBundle(staged, packer, archivePath, context.redactor);
  reporter.info(
    `Archive: ${bundle.archivePath} (${bundle.size} bytes, ${bundle.entryCount} files)`,
  );
  return bundle;
}

async function addFiles(
  context: PipelineContext,
  staged: StagedBundle,
  additions: BundleAddition[],
  packer: StreamingPacker,
): Promise<void> {
  for (const addition of additions) {
    const file = await stageContent(
      addition.content,
      staged.stagingDir,
      addition.archivePath,
      context.redactor,
    );
    staged.records.push({
      path: addition.archivePath,
      kind: 'meta',
      source: null,
      source_size: null,
      archived_size: file.size,
      sha256: file.sha256,
      truncated: false,
      left_out: false,
      redactions: file.redactions,
      scrubbed: true,
    });
    packer.add(addition.archivePath);
  }
}

/** Everything one run produced. */
export interface PipelineResult {
  commands: CommandRecord[];
  bundle: BundleResult | null;
  /** Why no bundle could be made, when none was. */
  bundleError: string | null;
  uploads: UploadResult[];
  /** The job was cancelled: uploads were left to the post step. */
  cancelled: boolean;
}

export interface PipelineHooks {
  /** Files added to the bundle before sealing (summary, test reports). */
  additions?: (staging: string, commands: CommandRecord[]) => Promise<BundleAddition[]>;
  /** Commands already decided (the post step runs none): used instead of running any. */
  commands?: CommandRecord[];
  /** Called as soon as the archive exists, before any upload (to save it in state). */
  onArchive?: (bundle: BundleResult) => void;
}

/**
 * The whole job, shared by the action and the CLI: run the checks, collect and pack whatever
 * they gave, then upload unless the job is being cancelled.
 */
export async function runPipeline(
  context: PipelineContext,
  hooks: PipelineHooks = {},
): Promise<PipelineResult> {
  const commands = hooks.commands ?? (await runChecks(context));

  let bundle: BundleResult | null = null;
  let bundleError: string | null = null;
  try {
    bundle = await buildBundle(context, commands, (staging) =>
      hooks.additions ? hooks.additions(staging, commands) : Promise.resolve([]),
    );
    hooks.onArchive?.(bundle);
  } catch (error) {
    bundleError = errorMessage(error);
  }

  const cancelled = context.cancel.aborted;
  let uploads: UploadResult[] = [];
  if (bundle && cancelled && context.postStepUploads && context.inputs.upload.destinations.length) {
    context.reporter.warning(
      'The job is being cancelled: uploads are left to the post step. ' +
        `Archive: ${bundle.archivePath}`,
    );
  } else if (bundle) {
    uploads = await uploadEverywhere({
      archivePath: bundle.archivePath,
      archiveName: path.basename(bundle.archivePath),
      sha256: bundle.sha256,
      size: bundle.size,
      settings: context.inputs.upload,
      reporter: context.reporter,
      env: context.env,
    });
  }
  return { commands, bundle, bundleError, uploads, cancelled };
}
