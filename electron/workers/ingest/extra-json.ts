/**
 * `JSON.stringify` of a row's extra fields, without its cost in the common case: a flat object of plain
 * strings and finite numbers (an access line's `unique_id`, a syslog line's fields). About 170 ns per
 * row for `JSON.stringify` against a few ns for the concatenation, on the parse worker's critical path
 * (docs/PERFORMANCE.md, session 7). Anything else (a nested value, a boolean, null, a character
 * JSON escapes, a surrogate) goes to `JSON.stringify`, so the text is always exactly its output.
 */

/** Whether JSON writes `s` as it is between its quotes (no `"`, `\`, control character or surrogate). */
function plain(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      return false;
    }
  }
  return true;
}

/** `JSON.stringify(o)`, or null when `o` has no own enumerable key. */
export function extraJson(o: Readonly<Record<string, unknown>>): string | null {
  let out = '';
  for (const k in o) {
    if (!Object.hasOwn(o, k)) {
      continue;
    }
    const v = o[k];
    let value: string;
    if (typeof v === 'string' && plain(v)) {
      value = `"${v}"`;
    } else if (typeof v === 'number' && Number.isFinite(v)) {
      value = String(v);
    } else {
      return JSON.stringify(o);
    }
    if (!plain(k)) {
      return JSON.stringify(o);
    }
    out += `${out === '' ? '{"' : ',"'}${k}":${value}`;
  }
  return out === '' ? null : `${out}}`;
}
