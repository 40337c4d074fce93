import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SafeMarkdown } from './safe-markdown';

function html(text: string): string {
  return renderToStaticMarkup(<SafeMarkdown text={text} />);
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
});
