/**
 * A small document model for what the user reads: the job summary is built once as blocks
 * and rendered either as GitHub markdown or as plain text for the terminal. Text in spans is
 * data (log lines, test names): the markdown renderer escapes it, so a log line can never
 * turn into a heading, a link or HTML.
 */
export type Span = string | { code: string } | { strong: string } | { link: string; href: string };

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; items: Span[][] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'code'; lines: string[] };

export function renderMarkdown(blocks: Block[]): string {
  return blocks.map(markdownBlock).join('\n\n') + '\n';
}

export function renderPlain(blocks: Block[]): string {
  return blocks.map(plainBlock).join('\n\n') + '\n';
}

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `### ${escapeMarkdown(block.text)}`;
    case 'paragraph':
      return block.spans.map(markdownSpan).join('');
    case 'list':
      return block.items.map((item) => `- ${item.map(markdownSpan).join('')}`).join('\n');
    case 'table':
      return [
        tableRow(block.header),
        `|${block.header.map(() => ' --- ').join('|')}|`,
        ...block.rows.map(tableRow),
      ].join('\n');
    case 'code': {
      const fence = '`'.repeat(Math.max(3, longestRun(block.lines.join('\n'), '`') + 1));
      return [fence, ...block.lines, fence].join('\n');
    }
  }
}

function markdownSpan(span: Span): string {
  if (typeof span === 'string') return escapeMarkdown(span);
  if ('code' in span) return inlineCode(span.code);
  if ('strong' in span) return `**${escapeMarkdown(span.strong)}**`;
  const href = span.href.replace(/[()\s<>]/g, (character) => escapeUrlCharacter(character));
  return `[${escapeMarkdown(span.link)}](${href})`;
}

/** `(`, `)` and spaces would end a markdown link target; encodeURIComponent keeps parentheses. */
function escapeUrlCharacter(character: string): string {
  return `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function tableRow(cells: string[]): string {
  return `| ${cells.map((cell) => escapeMarkdown(oneLine(cell)) || ' ').join(' | ')} |`;
}

/** Backslash-escapes what markdown would act on; `<` and `&` become entities (no raw HTML). */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^([#+=!-])/, '\\$1');
}

/** A code span that survives backticks inside the text. */
function inlineCode(text: string): string {
  const line = oneLine(text);
  if (line === '') return '` `';
  const ticks = '`'.repeat(longestRun(line, '`') + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

function longestRun(text: string, character: string): number {
  let longest = 0;
  let current = 0;
  for (const each of text) {
    current = each === character ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

function plainBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `== ${block.text}`;
    case 'paragraph':
      return block.spans.map(plainSpan).join('');
    case 'list':
      return block.items.map((item) => `  - ${item.map(plainSpan).join('')}`).join('\n');
    case 'table':
      return plainTable(block.header, block.rows);
    case 'code':
      return block.lines.map((line) => `    ${line}`).join('\n');
  }
}

function plainSpan(span: Span): string {
  if (typeof span === 'string') return oneLine(span);
  if ('code' in span) return oneLine(span.code);
  if ('strong' in span) return oneLine(span.strong);
  return span.link === span.href ? span.href : `${oneLine(span.link)} (${span.href})`;
}

function plainTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((row) => row.map(oneLine));
  const widths = header.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(all[0] ?? []), ...all.slice(1).map(line)].map((text) => `  ${text}`).join('\n');
}
