import { describe, expect, it } from 'vitest';
import { mdCell } from './hoststate-service';

describe('panel Markdown', () => {
  it('escapes hostile log text so it stays text in a table cell', () => {
    expect(mdCell('GET /<script>alert(1)</script>|x `y` [a](b) **c**')).toBe('GET /\\<script\\>alert(1)\\</script\\>\\|x \\`y\\` \\[a\\](b) \\*\\*c\\*\\*');
    expect(mdCell('a\nb\tc')).toBe('a b c');
  });
});
