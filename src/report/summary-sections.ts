import path from 'node:path';

import type { CommandRecord } from '../run/outcome.js';
import type { UploadResult } from '../upload/types.js';
import type { CrashReport } from './crash.js';
import type { ExceptionGroupInfo } from './exception-group.js';
import type { Block, Span } from './document.js';
import type { ErrorLogSummary } from './error-log.js';
import type { TestReport } from './junit.js';
import { shutdownTable, type ShutdownInfo } from './shutdown.js';
import type { Triage } from './triage.js';
import { formatBytes, formatDuration } from './units.js';

/** What the bundle step produced, as the summary shows it. */
export interface BundleFacts {
  size: number;
  entries: number;
  truncated: number;
  leftOut: number;
  redactions: number;
  path: string;
}

export interface SummaryData {
  commands: CommandRecord[];
  triage: Triage;
  bundle: BundleFacts | null;
  /** Null before the upload (meta/summary.md inside the bundle). */
  uploads: UploadResult[] | null;
  /** The bundle's scrubber: everything rendered goes through it. */
  scrub: (text: string) => string;
}

/** Failing tests listed by name; the rest are counted. */
export const MAX_LISTED_FAILURES = 20;
/** Innermost frames shown for a crash. */
const CRASH_FRAMES_SHOWN = 5;
/** Longest message shown for one failing test. */
const MAX_MESSAGE_CHARS = 300;

const COMMAND_LABELS: Record<CommandRecord['name'], string> = {
  smoke: 'smoke check',
  tests: 'tests',
};

/** The issue's seven parts, in order; a part with nothing to say is left out. */
export function summaryBlocks(data: SummaryData): Block[] {
  return [
    ...verdictBlocks(data),
    ...commandBlocks(data.commands),
    ...testBlocks(data.triage.tests),
    ...crashBlocks(data.triage.crash),
    ...errorLogBlocks(data.triage.errorLog),
    ...shutdownBlocks(data.triage.shutdown),
    ...bundleBlocks(data.bundle, data.uploads),
    ...problemBlocks(data.triage.problems),
  ];
}

/** What failed, in one sentence: commands (with the test counts) and uploads. */
export function verdictSentence(data: SummaryData): { failed: boolean; text: string } {
  const problems = data.commands.flatMap((record) => commandProblem(record, data.triage.tests));
  for (const upload of data.uploads ?? []) {
    if (!upload.ok) problems.push(`the upload to ${upload.destination} failed`);
  }
  if (problems.length > 0) return { failed: true, text: `${capitalise(problems.join('; '))}.` };

  const ran = data.commands.filter((record) => record.outcome === 'success');
  if (ran.length === 0)
    return { failed: false, text: 'No checks ran; diagnostics were collected.' };
  const names = ran.map((record) => COMMAND_LABELS[record.name]).join(' and ');
  return { failed: false, text: `${capitalise(names)} passed.` };
}

function verdictBlocks(data: SummaryData): Block[] {
  const verdict = verdictSentence(data);
  const mark = verdict.failed ? '❌ Failed:' : '✅ Passed:';
  return [{ kind: 'paragraph', spans: [{ strong: mark }, ` ${verdict.text}`] }];
}

function commandProblem(record: CommandRecord, tests: TestReport | null): string[] {
  const label = COMMAND_LABELS[record.name];
  const exit = record.exit_code === null ? '' : `, exit ${record.exit_code}`;
  switch (record.outcome) {
    case 'failure':
      if (record.name === 'tests' && tests && tests.failed + tests.errors > 0) {
        const code = record.exit_code === null ? '' : ` (exit ${record.exit_code})`;
        return [`tests failed: ${failingCount(tests)}${code}`];
      }
      return [`the ${label} failed (${record.exit_code_meaning}${exit})`];
    case 'timed-out':
      return [`the ${label} timed out after ${formatDuration(record.duration_ms)}`];
    case 'cancelled':
      return [`the run was cancelled during the ${label}`];
    case 'no-tests':
      return [`the ${label} collected no tests`];
    default:
      return [];
  }
}

function failingCount(tests: TestReport): string {
  const total = tests.passed + tests.failed + tests.skipped + tests.errors;
  const errors = tests.errors > 0 ? `, ${plural(tests.errors, 'error')}` : '';
  return `${tests.failed} of ${total} failed${errors}`;
}

function commandBlocks(commands: CommandRecord[]): Block[] {
  if (commands.length === 0) return [];
  const rows = commands.map((record) => [
    record.name,
    record.outcome,
    exitCell(record),
    record.outcome === 'skipped' ? '—' : formatDuration(record.duration_ms),
  ]);
  return [
    { kind: 'heading', text: 'Commands' },
    { kind: 'table', header: ['Command', 'Outcome', 'Exit code', 'Duration'], rows },
  ];
}

function exitCell(record: CommandRecord): string {
  if (record.outcome === 'skipped') return '—';
  const code = record.exit_code === null ? '—' : String(record.exit_code);
  return `${code} (${record.exit_code_meaning})`;
}

function testBlocks(tests: TestReport | null): Block[] {
  if (!tests) return [];
  const blocks: Block[] = [{ kind: 'heading', text: 'Tests' }];
  const counts = [
    `${tests.passed} passed`,
    `${tests.failed} failed`,
    `${tests.skipped} skipped`,
    plural(tests.errors, 'error'),
  ].join(', ');
  const reports = plural(tests.files.length, 'report');
  blocks.push({ kind: 'paragraph', spans: [{ strong: counts }, ` (from ${reports})`] });

  const failing = tests.failed + tests.errors;
  if (tests.failures.length > 0) {
    const items = tests.failures.slice(0, MAX_LISTED_FAILURES).map((failure): Span[] => {
      const where = failure.file ? `${failure.file}${failure.line ? `:${failure.line}` : ''}` : '';
      const name = failure.classname ? `${failure.classname}::${failure.name}` : failure.name;
      const kind = failure.kind === 'error' ? 'error' : 'failed';
      return [
        { strong: name },
        ` ${kind}`,
        ...(where ? [' at ', { code: where }] : []),
        ': ',
        { code: clip(failure.message, MAX_MESSAGE_CHARS) },
      ];
    });
    blocks.push({ kind: 'list', items });
  }
  if (failing > MAX_LISTED_FAILURES) {
    const more = failing - MAX_LISTED_FAILURES;
    blocks.push({ kind: 'paragraph', spans: [`…and ${more} more failing tests.`] });
  }
  for (const problem of tests.problems) {
    blocks.push({ kind: 'paragraph', spans: [`Report not read: ${problem}`] });
  }
  return blocks;
}

/** Sub-exceptions of a group named in the summary; the rest are counted. */
const GROUP_MEMBERS_SHOWN = 5;

/** `Raised in ExceptionGroup: … (2 sub-exceptions) with KeyError: …, PermissionError: …` */
function groupParagraph(group: ExceptionGroupInfo): Block {
  const spans: Span[] = ['Raised in ', { code: group.exception }, ' with '];
  group.members.slice(0, GROUP_MEMBERS_SHOWN).forEach((member, index) => {
    if (index > 0) spans.push(', ');
    spans.push({ code: member });
  });
  const more = group.members.length - GROUP_MEMBERS_SHOWN;
  if (more > 0) spans.push(` and ${more} more`);
  return { kind: 'paragraph', spans };
}

function crashBlocks(crash: CrashReport | null): Block[] {
  if (!crash) return [];
  const source = path.basename(crash.file);
  const blocks: Block[] = [
    { kind: 'heading', text: 'Crash' },
    { kind: 'paragraph', spans: [`Newest traceback in ${source}: `, { code: crash.exception }] },
  ];
  if (crash.timestampLine) {
    blocks.push({ kind: 'paragraph', spans: ['Logged as ', { code: crash.timestampLine }] });
  }
  if (crash.group) blocks.push(groupParagraph(crash.group));
  if (crash.chain.length > 0) {
    const spans: Span[] = ['Raised while handling '];
    crash.chain.forEach((exception, index) => {
      if (index > 0) spans.push(', then ');
      spans.push({ code: exception });
    });
    blocks.push({ kind: 'paragraph', spans });
  }

  const shown = crash.frames.slice(-CRASH_FRAMES_SHOWN);
  const lines = shown.flatMap((frame) => {
    const where = `  File "${frame.file}", line ${frame.line}`;
    const head = frame.function ? `${where}, in ${frame.function}` : where;
    return frame.code ? [head, `    ${frame.code}`] : [head];
  });
  blocks.push({ kind: 'code', lines: [...lines, crash.exception] });

  const notes: string[] = [];
  const hidden = crash.frameCount - shown.length;
  if (hidden > 0) notes.push(`${plural(hidden, 'outer frame')} not shown.`);
  if (crash.otherTracebacks > 0 || !crash.otherTracebacksExact) {
    const atLeast = crash.otherTracebacksExact ? '' : 'at least ';
    const others = plural(crash.otherTracebacks, 'other traceback');
    notes.push(`${source} holds ${atLeast}${others}.`);
  }
  if (notes.length > 0) blocks.push({ kind: 'paragraph', spans: [notes.join(' ')] });
  return blocks;
}

function errorLogBlocks(log: ErrorLogSummary | null): Block[] {
  if (!log || log.error + log.critical + log.warning === 0) return [];
  const counts = `${log.error} ERROR, ${log.critical} CRITICAL, ${log.warning} WARNING`;
  const blocks: Block[] = [
    { kind: 'heading', text: 'Errors' },
    {
      kind: 'paragraph',
      spans: [{ strong: counts }, ` lines in the last ${log.lines} lines of error_log.txt.`],
    },
  ];
  if (log.lastErrors.length > 0) blocks.push({ kind: 'code', lines: log.lastErrors });
  return blocks;
}

function shutdownBlocks(infos: ShutdownInfo[]): Block[] {
  if (infos.length === 0) return [];
  return [
    { kind: 'heading', text: 'Last shutdown' },
    { kind: 'table', ...shutdownTable(infos) },
  ];
}

function bundleBlocks(bundle: BundleFacts | null, uploads: UploadResult[] | null): Block[] {
  if (!bundle && (uploads ?? []).length === 0) return [];
  const blocks: Block[] = [{ kind: 'heading', text: 'Bundle' }];
  if (bundle) {
    const facts = [
      `${formatBytes(bundle.size)}, ${bundle.entries} entries`,
      `${plural(bundle.truncated, 'file')} truncated`,
      `${plural(bundle.leftOut, 'file')} left out`,
      `${bundle.redactions} values redacted`,
    ];
    blocks.push({ kind: 'paragraph', spans: [{ code: bundle.path }, `: ${facts.join(', ')}.`] });
  }
  if (uploads) blocks.push(...uploadBlocks(uploads));
  return blocks;
}

function uploadBlocks(uploads: UploadResult[]): Block[] {
  if (uploads.length === 0) return [{ kind: 'paragraph', spans: ['Not uploaded.'] }];
  const items = uploads.map((upload): Span[] => {
    const name = { strong: upload.destination };
    const notes = (upload.notes ?? []).map((note) => ` — ${note}`);
    if (!upload.ok) return [name, `: failed: ${upload.error ?? 'unknown error'}`, ...notes];
    const location = upload.location ?? '';
    if (/^https?:\/\//.test(location)) {
      return [name, ': ', { link: location, href: location }, ...notes];
    }
    return [name, ': ', location ? { code: location } : 'uploaded', ...notes];
  });
  return [{ kind: 'list', items }];
}

function problemBlocks(problems: string[]): Block[] {
  if (problems.length === 0) return [];
  return [
    { kind: 'heading', text: 'Not read' },
    { kind: 'list', items: problems.map((problem) => [problem]) },
  ];
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
