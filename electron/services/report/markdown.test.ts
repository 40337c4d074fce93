import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { esc, formatInZone } from './html-text';
import { renderMarkdown } from './markdown';
import { cssString } from './render-html';

const TAGS = /<\/?[a-z0-9]+(?:\s[^>]*)?>/gu;
const ALLOWED = new Set(['p', 'br', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'strong', 'em', 'del', 'hr', 'h4', 'h5', 'h6', 'span']);

function tagsOf(html: string): string[] {
  return [...html.matchAll(TAGS)].map((m) => m[0]);
}

describe('safe Markdown for reports', () => {
  it('renders the usual constructs', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and *em* and `<b>code</b>` and ~~gone~~.\n\n- one\n- two\n\n1. first\n\n> quoted\n\n---\n\n```\nraw <tag>\n```');
    expect(html).toContain('<h4>Title</h4>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html).toContain('<ol><li>first</li></ol>');
    expect(html).toContain('<blockquote>quoted</blockquote>');
    expect(html).toContain('<hr>');
    expect(html).toContain('<pre><code>raw &lt;tag&gt;</code></pre>');
  });

  it('shows raw HTML as text, never loads images, keeps links inert', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![t](http://evil/t.png)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<span class="link">x</span> (javascript:alert(1))');
    expect(html).toContain('[image: t]');
    expect(html).not.toMatch(/<(?:script|img|a)[\s>]/u);
    expect(tagsOf(html).filter((t) => /\s(?:href|src|on\w+)=/u.test(t))).toEqual([]);
  });

  it('never emits a tag outside the allowed set, nor any attribute but the fixed link class (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '"', "'", '&', '*', '_', '`', '[', ']', '(', ')', '!', '#', '-', '\n', ' ', 'a', 'on', '=', 'script', 'img', '\u001b') }), (text) => {
        for (const tag of tagsOf(renderMarkdown(text))) {
          const name = /^<\/?([a-z0-9]+)/u.exec(tag)?.[1] ?? '';
          expect(ALLOWED.has(name)).toBe(true);
          expect(tag === `<${name}>` || tag === `</${name}>` || tag === '<span class="link">').toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('esc shows control characters (ANSI) as visible escapes', () => {
    expect(esc('\u001b[31mX\u0000')).toBe('\\x1b[31mX\\x00');
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(esc('tab\tand\nnewline')).toBe('tab\tand\nnewline');
  });

  it('formats times in the case zone with the offset', () => {
    expect(formatInZone(Date.UTC(2024, 2, 15, 9, 30, 0), 'Europe/Berlin')).toBe('2024-03-15 10:30:00 +01:00');
    expect(formatInZone(Date.UTC(2024, 6, 15, 9, 30, 0), 'Europe/Berlin')).toBe('2024-07-15 11:30:00 +02:00');
    expect(formatInZone(Date.UTC(2024, 6, 15, 9, 30, 0), 'UTC')).toBe('2024-07-15 09:30:00 +00:00');
    expect(formatInZone(null, 'UTC')).toBe('');
  });

  it('header and footer text becomes an inert CSS string', () => {
    const css = cssString('x"; } body{display:none} </style><script>\u001b 事');
    expect(css.slice(1, -1)).not.toMatch(/["<>{};]/u);
    expect(css).toMatch(/^"x\\22 /u);
    expect(css).toContain('\\5c x1b');
    expect(css).toContain('\\4e8b ');
  });
});
