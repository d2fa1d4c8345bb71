import { access, open, readFile } from 'node:fs/promises';
import path from 'node:path';

import { errorMessage } from '../errors.js';
import type { Inputs } from '../inputs/read.js';
import type { BundleAddition, PipelineResult } from '../pipeline.js';
import { addJunitXml } from '../run/junit-flag.js';
import type { CommandRecord } from '../run/outcome.js';
import type { Reporter } from './reporter.js';
import { renderSummary, type BundleFacts, type SummaryData } from './summary.js';
import { buildTriage, type Triage } from './triage.js';

/** The error_log.txt excerpt the collector stages (the bot's error log, at LOG_DIR's top). */
const ERROR_LOG_TAIL = 'meta/error_log.txt.tail.txt';

/** Read at most this much of the excerpt (tail-lines of long lines can be large). */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;

/**
 * One run's triage, as the action and the CLI drive it: ask pytest for a JUnit report, read
 * what a maintainer would read first while the bundle is staged, add the test reports and
 * meta/summary.md to it, and keep the triage for the job summary, annotations and outputs.
 */
export class TriageRun {
  /** Empty until the bundle is staged. */
  triage: Triage = { tests: null, crash: null, errorLog: null, shutdown: [], problems: [] };
  private globProblem: string | null = null;

  private constructor(
    private readonly inputs: Inputs,
    /** The report the action asked pytest for; null when `test-report` is set or not pytest. */
    private readonly ownReport: string | null,
    readonly testCommand: string,
    private readonly scrub: (text: string) => string,
  ) {}

  /**
   * Decides where the test report comes from: the `test-report` glob when given, else a
   * report in the run's scratch directory that `--junitxml` asks pytest to write.
   */
  static plan(inputs: Inputs, workDir: string, scrub: (text: string) => string): TriageRun {
    const report = path.join(workDir, 'junit.xml');
    const withReport = inputs.testReport ? null : addJunitXml(inputs.testCommand, report);
    return new TriageRun(
      inputs,
      withReport ? report : null,
      withReport ?? inputs.testCommand,
      scrub,
    );
  }

  /** For PipelineHooks.additions: triage, then meta/tests/* and meta/summary.md. */
  readonly additions = async (
    staging: string,
    commands: CommandRecord[],
  ): Promise<BundleAddition[]> => {
    // A glob that cannot be read must not cost the bundle: the problem is noted instead.
    const junitFiles = await this.junitFiles().catch((error: unknown) => {
      this.globProblem = `test-report '${this.inputs.testReport}': ${errorMessage(error)}`;
      return [];
    });
    this.triage = await buildTriage({
      logDir: this.inputs.logDir,
      dataDir: this.inputs.dataDir,
      workingDirectory: this.inputs.workingDirectory,
      junitFiles,
      errorLogTailText: await readBounded(path.join(staging, ERROR_LOG_TAIL)),
      scrub: this.scrub,
    });

    if (this.globProblem) this.triage.problems.push(this.globProblem);

    const additions: BundleAddition[] = [];
    const names = new Set<string>();
    // Only reports that parsed are listed, and the reader refuses those over its size cap.
    for (const file of this.triage.tests?.files ?? []) {
      const content = await readFile(file).catch(() => null);
      if (content === null) continue;
      additions.push({ archivePath: `meta/tests/${uniqueName(file, names)}`, content });
    }
    const summary = this.summaryData(commands, null, null);
    additions.push({ archivePath: 'meta/summary.md', content: renderSummary(summary) });
    return additions;
  };

  /** What the job summary shows once the archive exists and the uploads are done. */
  summaryData(
    commands: CommandRecord[],
    result: PipelineResult | null,
    uploads: PipelineResult['uploads'] | null,
  ): SummaryData {
    return {
      commands,
      triage: this.triage,
      bundle: result ? bundleFacts(result) : null,
      uploads,
      scrub: this.scrub,
    };
  }

  private async junitFiles(): Promise<string[]> {
    if (this.inputs.testReport) {
      // The glob and XML libraries load only for a run that names reports.
      const { resolveTestReports } = await import('./junit.js');
      const files = await resolveTestReports(this.inputs.testReport, this.inputs.workingDirectory);
      if (files.length === 0) {
        this.globProblem = `test-report '${this.inputs.testReport}' matched no files`;
      }
      return files;
    }
    if (!this.ownReport) return [];
    // pytest writes no report when it could not start (a usage error, pytest missing).
    const written = await access(this.ownReport).then(
      () => true,
      () => false,
    );
    return written ? [this.ownReport] : [];
  }
}

function bundleFacts(result: PipelineResult): BundleFacts | null {
  const bundle = result.bundle;
  if (!bundle) return null;
  const entries = bundle.manifest.entries;
  return {
    size: bundle.size,
    entries: bundle.entryCount,
    truncated: entries.filter((entry) => entry.truncated).length,
    leftOut: entries.filter((entry) => entry.left_out).length,
    redactions: entries.reduce((sum, entry) => sum + entry.redactions, 0),
    path: bundle.archivePath,
  };
}

/** Two reports named `junit.xml` in different folders must not overwrite each other. */
function uniqueName(file: string, taken: Set<string>): string {
  const base = path.basename(file);
  let name = base;
  for (let index = 2; taken.has(name); index++) name = `${index}-${base}`;
  taken.add(name);
  return name;
}

/** The file's text, at most `limit` bytes of it; null when it cannot be read. */
async function readBounded(file: string): Promise<string | null> {
  const limit = MAX_TAIL_BYTES;
  try {
    const handle = await open(file, 'r');
    try {
      // Sized to the file: a buffer of the whole limit would cost every run 16 MiB of memory.
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.min(size, limit));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** Notes where the test report comes from, so a missing one is easy to explain. */
export function describeTestReport(run: TriageRun, inputs: Inputs, reporter: Reporter): void {
  if (inputs.testReport) reporter.info(`Test reports: ${inputs.testReport}`);
  else if (inputs.runCommands && run.testCommand !== inputs.testCommand) {
    reporter.info('Test reports: asking pytest for one with --junitxml');
  }
}
