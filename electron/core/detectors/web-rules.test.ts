import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webInputOfLine } from './web-input';
import { decodeUrl, matchWeb, parseWebRules, urlCandidate, uaCandidate, errorCandidate, type WebRuleSet, type WebInput } from './web-rules';

const RULES_FILE = resolve(__dirname, '../../../resources/rules/web.yaml');
const text = readFileSync(RULES_FILE, 'utf8');
const parsed = parseWebRules(text);
if (!parsed.ok) {
  throw new Error(parsed.error);
}
const set: WebRuleSet = parsed.set;

/** The detectors' path: the prefilter first, then the rules. */
function detect(input: WebInput): string[] {
  const candidate =
    (input.url !== null && urlCandidate(set, input.url.toLowerCase())) ||
    (input.ua !== null && uaCandidate(set, input.ua.toLowerCase())) ||
    (input.message !== null && errorCandidate(set, input.message.toLowerCase()));
  return candidate ? matchWeb(set, input).map((h) => h.rule.id) : [];
}

describe('web rules file', () => {
  it('has the rule families the issue asks for', () => {
    const ids = set.rules.map((r) => r.id);
    for (const id of ['web.traversal', 'web.sensitive_file', 'web.iis_worm', 'web.sqli', 'web.xss', 'web.shellshock', 'web.php_injection', 'web.webshell', 'web.scanner_ua', 'web.overlong']) {
      expect(ids).toContain(id);
    }
  });

  describe.each(set.rules.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    it('has examples of both kinds', () => {
      expect(rule.examples.hit.length).toBeGreaterThan(0);
      expect(rule.examples.miss.length).toBeGreaterThan(0);
    });
    it.each(rule.examples.hit.map((l) => [l.slice(0, 90), l]))('matches %s', (_s, line) => {
      expect(detect(webInputOfLine(line))).toContain(rule.id);
    });
    it.each(rule.examples.miss.map((l) => [l.slice(0, 90), l]))('does not match %s', (_s, line) => {
      expect(detect(webInputOfLine(line))).not.toContain(rule.id);
    });
    it('stays linear on pathological input (time budget)', () => {
      const parts = ['a', '%', '../', '%2e', ' ', "'", '(', '<', 'select ', 'or ', '/', '=', 'http://', '?', 'x'.repeat(3) + '.'];
      const t = performance.now();
      for (const p of parts) {
        const long = p.repeat(Math.ceil(20_000 / p.length));
        for (const m of rule.matchers) {
          m.re?.exec(long);
          m.re?.exec(`${long}!`);
          m.re?.exec(`/${long}\n`);
        }
      }
      expect(performance.now() - t).toBeLessThan(1500);
    });
  });
});

describe('status tells tried from succeeded', () => {
  it('a traversal answered 200 is critical, 404 is low', () => {
    const ok = matchWeb(set, { source: 'access', url: '/x?f=../../../etc/passwd', ua: null, message: null, status: 200 });
    const nf = matchWeb(set, { source: 'access', url: '/x?f=../../../etc/passwd', ua: null, message: null, status: 404 });
    expect(ok.find((h) => h.rule.id === 'web.traversal')?.severity).toBe('critical');
    expect(nf.find((h) => h.rule.id === 'web.traversal')?.severity).toBe('low');
  });
});

describe('decoding', () => {
  it('decodes percent escapes, double encoding, %u and overlong UTF-8', () => {
    expect(decodeUrl('%2e%2e%2fetc')).toBe('../etc');
    expect(decodeUrl('..%255c..')).toBe('..\\..');
    expect(decodeUrl('..%c0%af..')).toBe('../..');
    expect(decodeUrl('%u002e%u002e/')).toBe('../');
    expect(decodeUrl('a+b%zz')).toBe('a b%zz');
  });
});

describe('malformed rule files', () => {
  it('reports YAML errors', () => {
    const r = parseWebRules('rules: [a', 'x.yaml');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/^x\.yaml: not valid YAML/u);
  });
  it('reports the path of a schema error', () => {
    const r = parseWebRules('version: 1\nrules:\n  - id: web.a\n    title: t\n    description: d\n    category: nope\n    severity: low\n    keywords: [a]\n    match: [{ field: url, pattern: a }]\n');
    expect(r.ok ? '' : r.error).toMatch(/rules\.0\.category/u);
  });
  it('reports a bad regular expression with its rule', () => {
    const r = parseWebRules('version: 1\nrules:\n  - id: web.a\n    title: t\n    description: d\n    category: web_attack\n    severity: low\n    keywords: [a]\n    match: [{ field: url, pattern: "(a" }]\n');
    expect(r.ok ? '' : r.error).toMatch(/rule web\.a match 1: bad pattern/u);
  });
  it('refuses duplicate ids and rules without keywords', () => {
    const rule = '  - id: web.a\n    title: t\n    description: d\n    category: web_attack\n    severity: low\n    keywords: []\n    match: [{ field: url, pattern: a }]\n';
    expect(parseWebRules(`version: 1\nrules:\n${rule}`).ok).toBe(false);
  });
});
