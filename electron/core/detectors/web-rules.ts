/**
 * Web attack rules as data (resources/rules/web.yaml): parsing and validation (yaml + zod), and the
 * matcher. Pure: the caller reads the file and streams the events.
 *
 * Speed: a line is first tested with one combined keyword expression per field kind (a rule can
 * only fire on text that contains one of its keywords, raw or decoded: the examples test enforces
 * it); only candidate lines are decoded and run through the rules' own expressions.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { FindingCategory, FindingSeverity } from '../../../shared/domain/findings';
import { KeywordMatcher, KeywordSets } from './keyword-matcher';

export const WebField = z.enum(['url', 'ua', 'message']);
export type WebField = z.infer<typeof WebField>;
export const WebSource = z.enum(['access', 'error']);
export type WebSource = z.infer<typeof WebSource>;

const StatusClass = z.string().regex(/^[1-5]xx$/u);

const Matcher = z
  .object({
    field: WebField,
    source: WebSource.optional(),
    decoded: z.boolean().optional(),
    pattern: z.string().min(1).max(4000).optional(),
    minLength: z.number().int().min(1).optional(),
    statuses: z.array(z.union([StatusClass, z.number().int().min(100).max(599)])).optional(),
  })
  .strict()
  .refine((m) => (m.pattern === undefined) !== (m.minLength === undefined), { message: 'a matcher needs exactly one of pattern or minLength' });

export const WebRuleSpec = z
  .object({
    id: z.string().regex(/^web\.[a-z0-9_]+$/u, 'rule ids look like web.name'),
    title: z.string().min(1).max(200),
    description: z.string().min(1).max(2000),
    category: FindingCategory,
    severity: FindingSeverity,
    status: z.record(StatusClass, FindingSeverity).optional(),
    keywords: z.array(z.string().min(1).max(100)).max(200),
    match: z.array(Matcher).min(1),
    examples: z.object({ hit: z.array(z.string()).default([]), miss: z.array(z.string()).default([]) }).strict().optional(),
  })
  .strict();
export type WebRuleSpec = z.infer<typeof WebRuleSpec>;

export const WebRuleFile = z.object({ version: z.literal(1), rules: z.array(WebRuleSpec).min(1) }).strict();

type CompiledMatcher = Readonly<{
  field: WebField;
  source: WebSource | null;
  decoded: boolean;
  re: RegExp | null;
  minLength: number | null;
  statuses: ReadonlyArray<string | number> | null;
}>;

export type WebRule = Readonly<{
  id: string;
  title: string;
  description: string;
  category: FindingCategory;
  severity: FindingSeverity;
  status: Readonly<Record<string, FindingSeverity>>;
  keywords: ReadonlyArray<string>;
  matchers: ReadonlyArray<CompiledMatcher>;
  examples: Readonly<{ hit: ReadonlyArray<string>; miss: ReadonlyArray<string> }>;
}>;

export type WebRuleSet = Readonly<{
  rules: ReadonlyArray<WebRule>;
  /** Combined keyword test per field kind (any case), and the shortest `minLength` of url rules. */
  urlKeywords: KeywordMatcher;
  uaKeywords: KeywordMatcher;
  errorKeywords: KeywordMatcher;
  /** Each rule's keywords, set i = rules[i]: the rules a text may hit, from one reading of it. */
  ruleKeywords: KeywordSets;
  urlMinLength: number;
  hasUaRules: boolean;
}>;

export type RulesResult = { ok: true; set: WebRuleSet } | { ok: false; error: string };

/** Parses and validates a rule file; every problem is reported with where it is. */
export function parseWebRules(text: string, fileName = 'web.yaml'): RulesResult {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const msg = error instanceof YAMLParseError ? error.message : String(error);
    return { ok: false, error: `${fileName}: not valid YAML: ${msg}` };
  }
  const parsed = WebRuleFile.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.map(String).join('.');
    return { ok: false, error: `${fileName}: ${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid rule file'}` };
  }
  const seen = new Set<string>();
  const rules: WebRule[] = [];
  for (const spec of parsed.data.rules) {
    if (seen.has(spec.id)) {
      return { ok: false, error: `${fileName}: rule ${spec.id} is defined twice` };
    }
    seen.add(spec.id);
    const matchers: CompiledMatcher[] = [];
    for (const [i, m] of spec.match.entries()) {
      let re: RegExp | null = null;
      if (m.pattern !== undefined) {
        try {
          re = new RegExp(m.pattern, 'iu');
        } catch (error) {
          return { ok: false, error: `${fileName}: rule ${spec.id} match ${i + 1}: bad pattern: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      if (m.field === 'ua' && m.source === 'error') {
        return { ok: false, error: `${fileName}: rule ${spec.id} match ${i + 1}: error logs have no user agent` };
      }
      matchers.push({ field: m.field, source: m.source ?? null, decoded: m.decoded === true, re, minLength: m.minLength ?? null, statuses: m.statuses ?? null });
    }
    if (spec.keywords.length === 0 && matchers.some((m) => m.minLength === null)) {
      return { ok: false, error: `${fileName}: rule ${spec.id}: pattern rules need keywords (the prefilter)` };
    }
    rules.push({
      id: spec.id, title: spec.title, description: spec.description, category: spec.category, severity: spec.severity, status: spec.status ?? {},
      keywords: spec.keywords.map((k) => k.toLowerCase()), matchers, examples: { hit: spec.examples?.hit ?? [], miss: spec.examples?.miss ?? [] },
    });
  }
  const kw = (pred: (m: CompiledMatcher) => boolean): string[] => rules.filter((r) => r.matchers.some(pred)).flatMap((r) => r.keywords);
  const lengths = rules.flatMap((r) => r.matchers.filter((m) => m.field === 'url' && m.minLength !== null).map((m) => m.minLength ?? Infinity));
  return {
    ok: true,
    set: {
      rules,
      urlKeywords: new KeywordMatcher(kw((m) => m.field === 'url' && m.re !== null)),
      uaKeywords: new KeywordMatcher(kw((m) => m.field === 'ua')),
      errorKeywords: new KeywordMatcher(kw((m) => m.field === 'message' && m.source !== 'access')),
      ruleKeywords: new KeywordSets(rules.map((r) => r.keywords)),
      urlMinLength: lengths.length === 0 ? Infinity : Math.min(...lengths),
      hasUaRules: rules.some((r) => r.matchers.some((m) => m.field === 'ua')),
    },
  };
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) {
    return c - 48;
  }
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Overlong UTF-8 forms of `/`, `\` and `.` used by IIS-era exploits (Nimda's `..%c0%af..`). */
const OVERLONG: Readonly<Record<string, string>> = { c0af: '/', c0ae: '.', c19c: '\\', c11c: '\\', c02f: '/', c05c: '\\', c12e: '.' };

function decodeOnce(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
    return s;
  }
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 43) {
      out += ' ';
      i += 1;
      continue;
    }
    if (c !== 37) {
      out += s[i];
      i += 1;
      continue;
    }
    const h1 = hexVal(s.charCodeAt(i + 1));
    const h2 = hexVal(s.charCodeAt(i + 2));
    if (h1 >= 0 && h2 >= 0) {
      const b = h1 * 16 + h2;
      if ((b === 0xc0 || b === 0xc1) && s.charCodeAt(i + 3) === 37) {
        const key = s.slice(i + 1, i + 3).toLowerCase() + s.slice(i + 4, i + 6).toLowerCase();
        const ch = OVERLONG[key];
        if (ch !== undefined) {
          out += ch;
          i += 6;
          continue;
        }
      }
      out += String.fromCharCode(b);
      i += 3;
      continue;
    }
    if ((s.charCodeAt(i + 1) | 32) === 117) {
      const u = [2, 3, 4, 5].map((k) => hexVal(s.charCodeAt(i + k)));
      if (u.every((v) => v >= 0)) {
        out += String.fromCharCode(((u[0] ?? 0) << 12) | ((u[1] ?? 0) << 8) | ((u[2] ?? 0) << 4) | (u[3] ?? 0));
        i += 6;
        continue;
      }
    }
    out += '%';
    i += 1;
  }
  return out;
}

/** Percent-decoding, repeated for double encoding (at most three rounds), `+` as space, %uXXXX and overlong UTF-8. */
export function decodeUrl(s: string): string {
  let cur = s;
  for (let round = 0; round < 3; round += 1) {
    const next = decodeOnce(cur);
    if (next === cur) {
      break;
    }
    cur = next;
  }
  return cur;
}

/** The URL of an access-log request line (`GET /x?y HTTP/1.1`), or the whole text when it has no spaces. */
export function urlOfRequest(request: string): string {
  const a = request.indexOf(' ');
  if (a < 0) {
    return request;
  }
  const b = request.lastIndexOf(' ');
  return b > a ? request.slice(a + 1, b) : request.slice(a + 1);
}

/** The request line inside an access event's message (`<request> (<status>)`). */
export function requestOfMessage(message: string): string {
  if (message.endsWith(')')) {
    const p = message.lastIndexOf(' (');
    if (p >= 0) {
      return message.slice(0, p);
    }
  }
  return message;
}

export type WebInput = Readonly<{
  source: WebSource;
  url: string | null;
  ua: string | null;
  message: string | null;
  status: number | null;
}>;

export type WebHit = Readonly<{ rule: WebRule; severity: FindingSeverity; field: WebField; evidence: string }>;

/** Severity of a hit of `rule` given the line's HTTP status (error-log lines have none). */
export function severityFor(rule: WebRule, status: number | null): FindingSeverity {
  if (status === null) {
    return rule.severity;
  }
  return rule.status[`${Math.floor(status / 100)}xx`] ?? rule.severity;
}

function statusAllowed(statuses: ReadonlyArray<string | number> | null, status: number | null): boolean {
  if (statuses === null) {
    return true;
  }
  if (status === null) {
    return false;
  }
  const cls = `${Math.floor(status / 100)}xx`;
  return statuses.some((s) => s === status || s === cls);
}

function snippet(text: string, m: RegExpExecArray | null): string {
  if (m === null) {
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }
  const from = Math.max(0, m.index - 40);
  const to = Math.min(text.length, m.index + m[0].length + 40);
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

/** A field's text, its URL-decoded form when that differs, and the rules each may hit (read on first use). */
type Field = { raw: string; decoded: string | null; rawRules: Uint32Array | null; decodedRules: Uint32Array | null };

function field(text: string | null, decode: boolean): Field | null {
  if (text === null || text === '') {
    return null;
  }
  const decoded = decode ? decodeUrl(text) : null;
  return { raw: text, decoded: decoded === text ? null : decoded, rawRules: null, decodedRules: null };
}

/** True when the text (any case) may contain a hit of some url rule (the cheap prefilter). */
export function urlCandidate(set: WebRuleSet, text: string): boolean {
  if (text.length >= set.urlMinLength || set.urlKeywords.test(text)) {
    return true;
  }
  // Encoded text: only when its decoded form holds a keyword (most %20s and +s end here).
  return (text.indexOf('%') >= 0 || text.indexOf('+') >= 0) && set.urlKeywords.test(decodeUrl(text));
}

/** True when the user agent may contain a hit of some user-agent rule. */
export function uaCandidate(set: WebRuleSet, text: string): boolean {
  return set.uaKeywords.test(text);
}

/** True when the error message may contain a hit of some error-log rule. */
export function errorCandidate(set: WebRuleSet, text: string): boolean {
  return set.errorKeywords.test(text);
}

/**
 * Every rule that fires on one line (at most one hit per rule). `only` restricts to matchers of these
 * fields (the user-agent pass tests each distinct agent once, with no URL).
 */
export function matchWeb(set: WebRuleSet, input: WebInput, only?: ReadonlyArray<WebField>): WebHit[] {
  const url = field(input.url, true);
  const ua = field(input.ua, false);
  const msg = field(input.message, input.source === 'error');
  const hits: WebHit[] = [];
  // Whether a text holds a keyword of rule i (ASCII letters without case, as the prefilters read it).
  const hasKw = (f: Field, decoded: boolean, i: number): boolean => {
    if (decoded) {
      if (f.decoded === null) {
        return false;
      }
      f.decodedRules ??= set.ruleKeywords.match(f.decoded);
      return KeywordSets.has(f.decodedRules, i);
    }
    f.rawRules ??= set.ruleKeywords.match(f.raw);
    return KeywordSets.has(f.rawRules, i);
  };
  for (const [ruleIndex, rule] of set.rules.entries()) {
    let hit: WebHit | null = null;
    for (const m of rule.matchers) {
      if ((m.source !== null && m.source !== input.source) || (only !== undefined && !only.includes(m.field))) {
        continue;
      }
      if (input.source === 'error' && m.field !== 'message') {
        continue;
      }
      if (input.source === 'access' && m.field === 'message') {
        continue;
      }
      if (!statusAllowed(m.statuses, input.status)) {
        continue;
      }
      const f = m.field === 'url' ? url : m.field === 'ua' ? ua : msg;
      if (f === null) {
        continue;
      }
      if (m.minLength !== null) {
        if (f.raw.length >= m.minLength) {
          hit = { rule, severity: severityFor(rule, input.status), field: m.field, evidence: `${f.raw.length} characters: ${snippet(f.raw, null)}` };
        }
      } else if (m.re !== null) {
        if (hasKw(f, false, ruleIndex) || (m.decoded && hasKw(f, true, ruleIndex))) {
          const r = m.re.exec(f.raw) ?? (m.decoded && f.decoded !== null ? m.re.exec(f.decoded) : null);
          if (r !== null) {
            hit = { rule, severity: severityFor(rule, input.status), field: m.field, evidence: snippet(r.input, r) };
          }
        }
      }
      if (hit !== null) {
        break;
      }
    }
    if (hit !== null) {
      hits.push(hit);
    }
  }
  return hits;
}
