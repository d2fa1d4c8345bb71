import { renderMarkdown, renderPlain, type Block, type Span } from './document.js';
import { summaryBlocks, type SummaryData } from './summary-sections.js';

export type { BundleFacts, SummaryData } from './summary-sections.js';

/**
 * The runner refuses a step summary over 1 MiB; stay well under it so the lead's own lines
 * (and the runner's bookkeeping) still fit.
 */
export const SUMMARY_LIMIT_BYTES = 900 * 1024;

/** The job summary (and meta/summary.md) as GitHub markdown, scrubbed and size-bounded. */
export function renderSummary(data: SummaryData, options: { maxBytes?: number } = {}): string {
  const markdown = data.scrub(renderMarkdown(scrubBlocks(summaryBlocks(data), data.scrub)));
  return truncateMarkdown(markdown, options.maxBytes ?? SUMMARY_LIMIT_BYTES);
}

/** The same summary as plain text, for the CLI's last lines. */
export function renderPlainSummary(data: SummaryData): string {
  return data.scrub(renderPlain(scrubBlocks(summaryBlocks(data), data.scrub)));
}

/**
 * Scrubs every piece of text before it is escaped: an escaped secret (`a\_b`) would no
 * longer match the scrubber's patterns. The rendered text is scrubbed once more afterwards.
 */
function scrubBlocks(blocks: Block[], scrub: (text: string) => string): Block[] {
  const span = (value: Span): Span => {
    if (typeof value === 'string') return scrub(value);
    if ('code' in value) return { code: scrub(value.code) };
    if ('strong' in value) return { strong: scrub(value.strong) };
    return { link: scrub(value.link), href: scrub(value.href) };
  };
  return blocks.map((block): Block => {
    switch (block.kind) {
      case 'heading':
        return { kind: 'heading', text: scrub(block.text) };
      case 'paragraph':
        return { kind: 'paragraph', spans: block.spans.map(span) };
      case 'list':
        return { kind: 'list', items: block.items.map((item) => item.map(span)) };
      case 'table':
        return {
          kind: 'table',
          header: block.header.map(scrub),
          rows: block.rows.map((row) => row.map(scrub)),
        };
      case 'code':
        return { kind: 'code', lines: block.lines.map(scrub) };
    }
  });
}

/**
 * Cuts the markdown at a line boundary so it fits in `maxBytes`, closes a code block left
 * open by the cut, and says that it was cut and where the rest is.
 */
export function truncateMarkdown(markdown: string, maxBytes: number): string {
  const size = Buffer.byteLength(markdown);
  if (size <= maxBytes) return markdown;

  const note = `\n\n_The summary was cut at ${maxBytes} bytes (it had ${size}); the full \
details are in the bundle._\n`;
  const budget = Math.max(0, maxBytes - Buffer.byteLength(note) - 16);
  // Decoding a cut that splits a character yields U+FFFD; the cut to a line end drops it.
  const head = Buffer.from(markdown).subarray(0, budget).toString('utf8');
  const lines = head.slice(0, Math.max(0, head.lastIndexOf('\n'))).split('\n');

  let openFence: string | null = null;
  for (const line of lines) {
    const fence = /^(`{3,})\s*$/.exec(line)?.[1];
    if (!fence) continue;
    if (openFence === null) openFence = fence;
    else if (fence === openFence) openFence = null;
  }
  const closing = openFence ? `\n${openFence}` : '';
  return `${lines.join('\n')}${closing}${note}`;
}
