/**
 * Matching file paths of two listings of the same tree taken from different roots (`./index.php` from
 * inside the web root, `/var/www/html/index.php` from `/`, `var/www/html/index.php` from UAC's mount
 * point). Pure.
 */

/** A path as a list of segments: `./a//b/` → ['a', 'b'], backslashes read as separators, `.` dropped. */
export function segments(path: string): string[] {
  return path
    .replace(/\\/gu, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
}

export type RootAlignment = Readonly<{
  /** Leading segments dropped from the first listing's paths (joined with `/`). */
  prefixA: string;
  /** Leading segments dropped from the second listing's paths. */
  prefixB: string;
  /** Path pairs that voted for this alignment. */
  votes: number;
}>;

const MAX_PAIRS_PER_NAME = 64;

/**
 * The root alignment under which most paths of A and B coincide: every pair of paths with the same
 * base name votes for the prefixes that remain once their longest common tail is removed. Pairs per
 * base name are bounded (a tree of a thousand `index.php` does not take quadratic time).
 */
export function alignRoots(a: ReadonlyArray<string>, b: ReadonlyArray<string>): RootAlignment {
  const byName = new Map<string, string[][]>();
  for (const p of b) {
    const s = segments(p);
    const name = s.at(-1);
    if (name === undefined) {
      continue;
    }
    const list = byName.get(name) ?? [];
    if (list.length < MAX_PAIRS_PER_NAME) {
      list.push(s);
    }
    byName.set(name, list);
  }
  const votes = new Map<string, number>();
  const perName = new Map<string, number>();
  for (const p of a) {
    const sa = segments(p);
    const name = sa.at(-1);
    if (name === undefined) {
      continue;
    }
    const seen = perName.get(name) ?? 0;
    if (seen >= MAX_PAIRS_PER_NAME) {
      continue;
    }
    perName.set(name, seen + 1);
    for (const sb of byName.get(name) ?? []) {
      let k = 0;
      while (k < sa.length && k < sb.length && sa[sa.length - 1 - k] === sb[sb.length - 1 - k]) {
        k += 1;
      }
      const key = `${sa.slice(0, sa.length - k).join('/')}\u0000${sb.slice(0, sb.length - k).join('/')}`;
      votes.set(key, (votes.get(key) ?? 0) + 1);
    }
  }
  let best: RootAlignment = { prefixA: '', prefixB: '', votes: 0 };
  for (const [key, n] of votes) {
    const [prefixA = '', prefixB = ''] = key.split('\u0000');
    // more votes wins; on a tie the shorter prefixes (the least stripped)
    if (n > best.votes || (n === best.votes && prefixA.length + prefixB.length < best.prefixA.length + best.prefixB.length)) {
      best = { prefixA, prefixB, votes: n };
    }
  }
  return best;
}

/** The path relative to `prefix` (segments joined with `/`); paths outside it keep all their segments, marked with a leading `/`. */
export function relativeTo(path: string, prefix: string): string {
  const s = segments(path);
  const p = prefix === '' ? [] : prefix.split('/');
  if (p.length <= s.length && p.every((x, i) => s[i] === x)) {
    return s.slice(p.length).join('/');
  }
  return `/${s.join('/')}`;
}
