import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SafeMarkdown } from './safe-markdown';

function html(text: string): string {
  return renderToStaticMarkup(<SafeMarkdown text={text} />);
}

/** No element that runs code, loads content, navigates, or carries an event handler. */
function expectInert(out: string): void {
  expect(out).not.toMatch(/<(img|script|a|iframe|object|embed|svg|math|style|link|meta|form|input|video|audio|source|base)\b/iu);
  expect(out).not.toMatch(/<[^>]+\son[a-z]+\s*=/iu);
  expect(out).not.toMatch(/<[^>]+\s(href|src|srcdoc|action|formaction|style)\s*=/iu);
  // such text may remain, as text (escaped), never inside a tag
  expect(out).not.toMatch(/<[^>]*(javascript:|vbscript:|data:)/iu);
}

describe('SafeMarkdown', () => {
  it('renders emphasis, code and lists', () => {
    expect(html('**brute force** from `203.0.113.45`')).toBe('<p><strong>brute force</strong> from <code>203.0.113.45</code></p>');
    expect(html('- one\n- two')).toContain('<li>one</li>');
  });

  it('shows HTML as literal text, never loads images, never links', () => {
    const out = html('<img src=x onerror=alert(1)><script>alert(2)</script> [click](javascript:alert(3)) ![x](http://evil.example/x.png)');
    expect(out).not.toMatch(/<(img|script|a)\b/u);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(out).toContain('click');
    expect(out).not.toContain('javascript:');
  });

  it('keeps script, iframe and event handlers as text, block-level HTML included', () => {
    const cases = [
      '<script>alert(1)</script>',
      '<iframe src="https://evil.example"></iframe>',
      '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
      '<div onmouseover="alert(1)">hover</div>',
      '<svg onload=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '<details open ontoggle=alert(1)>',
      '<style>body{display:none}</style>',
      '<form action="https://evil.example"><input formaction=x></form>',
      '<object data="x.swf"></object><embed src=x>',
    ];
    for (const c of cases) {
      const out = html(`${c}\n\ntext after`);
      expectInert(out);
      expect(out).toContain('text after');
    }
    expect(html('<script>alert(1)</script>')).toContain('&lt;script&gt;');
  });

  it('leaves javascript:, data:, vbscript: and web links inert, however they are written', () => {
    const cases = [
      '[x](javascript:alert(1))',
      '[x](JAVASCRIPT:alert(1))',
      '[x](  javascript:alert(1) )',
      '[x](java\tscript:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox(1))',
      '[x](https://evil.example/)',
      '<javascript:alert(1)>',
      '<https://evil.example>',
      '[x][ref]\n\n[ref]: javascript:alert(1)',
      '[x](dossier:event/1 "title" onclick=alert(1))',
      '[x](dossier:event/1/../../evil)',
      '[x](dossier:evil/1)',
    ];
    for (const c of cases) {
      const out = html(c);
      expectInert(out);
      expect(out).not.toContain('<button');
    }
  });

  it('turns dossier: links into in-app buttons, and nothing else', () => {
    const out = html('See [the hypothesis](dossier:hypothesis/4), event [#123](dossier:event/123), <dossier:view/2> and [finding](dossier:finding/7).');
    expectInert(out);
    expect(out).toContain('<button type="button" class="dossier-md-link" data-link="hypothesis/4" title="Open hypothesis #4">the hypothesis</button>');
    expect(out).toContain('data-link="event/123"');
    expect(out).toContain('data-link="view/2"');
    expect(out).toContain('data-link="finding/7"');
    // the label is text: markup inside it stays inert
    const hostile = html('[<img src=x onerror=alert(1)>](dossier:event/5)');
    expectInert(hostile);
    expect(hostile).toContain('data-link="event/5"');
  });
});
