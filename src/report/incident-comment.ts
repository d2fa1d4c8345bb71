import path from 'node:path';

import { renderMarkdown, type Block, type Span } from './document.js';
import { verdictSentence, type SummaryData } from './summary-sections.js';

/** Failing tests named in an issue comment; the job summary has the longer list. */
const MAX_TESTS_IN_COMMENT = 10;

/** Where a run is: its page, and the name to show for it. */
export interface RunLink {
  url: string;
  label: string;
}

/**
 * The comment for a failing run: the verdict, the crash line, the failing tests and the
 * links to the bundle. The body of a new issue is the same comment under an introduction.
 */
export function renderFailureComment(data: SummaryData, run: RunLink): string {
  const verdict = verdictSentence(data);
  const blocks: Block[] = [
    { kind: 'paragraph', spans: [{ strong: '❌ Failed:' }, ` ${verdict.text}`] },
    { kind: 'paragraph', spans: ['Run: ', { link: run.label, href: run.url }] },
  ];

  const crash = data.triage.crash;
  if (crash) {
    const spans: Span[] = [`Crash (${path.basename(crash.file)}): `, { code: crash.exception }];
    if (crash.timestampLine) spans.push(' at ', { code: crash.timestampLine });
    blocks.push({ kind: 'paragraph', spans });
  }

  const failures = data.triage.tests?.failures ?? [];
  if (failures.length > 0) {
    blocks.push({ kind: 'paragraph', spans: ['Failing tests:'] });
    const items = failures.slice(0, MAX_TESTS_IN_COMMENT).map((failure): Span[] => {
      const name = failure.classname ? `${failure.classname}::${failure.name}` : failure.name;
      return [{ code: name }, ': ', { code: failure.message.slice(0, 300) }];
    });
    blocks.push({ kind: 'list', items });
    const total = (data.triage.tests?.failed ?? 0) + (data.triage.tests?.errors ?? 0);
    if (total > MAX_TESTS_IN_COMMENT) {
      blocks.push({
        kind: 'paragraph',
        spans: [`…and ${total - MAX_TESTS_IN_COMMENT} more in the run's job summary.`],
      });
    }
  }

  const links = (data.uploads ?? []).filter((upload) => upload.ok && upload.location);
  if (links.length > 0) {
    blocks.push({ kind: 'paragraph', spans: ['Diagnostics bundle:'] });
    const items = links.map((upload): Span[] => {
      const location = upload.location as string;
      const target: Span = /^https?:\/\//.test(location)
        ? { link: location, href: location }
        : { code: location };
      return [`${upload.destination}: `, target];
    });
    blocks.push({ kind: 'list', items });
  }
  return data.scrub(renderMarkdown(blocks));
}

/** The body of a newly opened incident issue. */
export function renderIssueBody(data: SummaryData, run: RunLink, workflow: string): string {
  const intro =
    `The health check \`${workflow.replace(/`/g, "'")}\` is failing. ` +
    'k98-diagnostics-action opened this issue and comments on it for every failing run; ' +
    'it is closed when a run passes (with `close-issue-on-success`).';
  return `${intro}\n\n${renderFailureComment(data, run)}`;
}

/** The comment that closes the issue. */
export function renderRecoveryComment(run: RunLink): string {
  return renderMarkdown([
    {
      kind: 'paragraph',
      spans: [{ strong: '✅ Passed' }, ' in ', { link: run.label, href: run.url }, '. Closing.'],
    },
  ]);
}
