/**
 * Analysts' Markdown (notes, rationales) rendered to HTML for the report, safely and on purpose
 * small: every character of the text is escaped first (raw HTML is shown as the text it is), then a
 * few constructs become markup — headings, paragraphs, lists, quotes, code, emphasis, rules. Images
 * are never loaded (shown as `[image: alt]`) and links are inert (their text, then the address as
 * text). No attribute is ever produced from the input.
 */
import { esc } from './html-text';

function inlineText(raw: string): string {
  return esc(raw)
    .replace(/!\[([^\]\n]*)\]\(([^)\s]*)\)/gu, (_m, alt: string) => `[image: ${alt}]`)
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/gu, (_m, text: string, href: string) => `<span class="link">${text}</span> (${href})`)
    .replace(/\*\*([^*\n]+)\*\*/gu, '<strong>$1</strong>')
    .replace(/__([^_\n]+)__/gu, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*([^*\n]+)\*\B/gu, '$1<em>$2</em>')
    .replace(/~~([^~\n]+)~~/gu, '<del>$1</del>');
}

/** One line of inline Markdown: code spans verbatim (escaped), the rest through the few inline rules. */
function inline(raw: string): string {
  const parts = raw.split(/(`[^`\n]+`)/u);
  return parts.map((part, i) => (i % 2 === 1 ? `<code>${esc(part.slice(1, -1))}</code>` : inlineText(part))).join('');
}

type Block = { kind: 'p' | 'ul' | 'ol' | 'quote'; lines: string[] };

export function renderMarkdown(text: string): string {
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const out: string[] = [];
  let block: Block | null = null;
  const flush = (): void => {
    if (block === null) {
      return;
    }
    if (block.kind === 'p') {
      out.push(`<p>${block.lines.map(inline).join('<br>')}</p>`);
    } else if (block.kind === 'quote') {
      out.push(`<blockquote>${block.lines.map(inline).join('<br>')}</blockquote>`);
    } else {
      out.push(`<${block.kind}>${block.lines.map((l) => `<li>${inline(l)}</li>`).join('')}</${block.kind}>`);
    }
    block = null;
  };
  const add = (kind: Block['kind'], line: string): void => {
    if (block === null || block.kind !== kind) {
      flush();
      block = { kind, lines: [] };
    }
    block.lines.push(line);
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const fence = /^\s*(`{3,}|~{3,})/u.exec(line);
    if (fence !== null) {
      flush();
      const marker = fence[1] ?? '```';
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker)) {
        code.push(lines[i] ?? '');
        i += 1;
      }
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s(.*)$/u.exec(line);
    if (heading !== null) {
      flush();
      // Headings inside a note sit below the report's own levels.
      const level = Math.min(6, (heading[1] ?? '#').length + 3);
      out.push(`<h${level}>${inline((heading[2] ?? '').trim())}</h${level}>`);
      continue;
    }
    if (/^(?:-{3,}|\*{3,}|_{3,})$/u.test(line.replace(/\s/gu, ''))) {
      flush();
      out.push('<hr>');
      continue;
    }
    const bullet = /^\s*[-*+]\s(.*)$/u.exec(line);
    if (bullet !== null) {
      add('ul', bullet[1] ?? '');
      continue;
    }
    const numbered = /^\s*\d{1,9}[.)]\s(.*)$/u.exec(line);
    if (numbered !== null) {
      add('ol', numbered[1] ?? '');
      continue;
    }
    const quote = /^\s*>\s?(.*)$/u.exec(line);
    if (quote !== null) {
      add('quote', quote[1] ?? '');
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    add('p', line);
  }
  flush();
  return out.join('\n');
}
