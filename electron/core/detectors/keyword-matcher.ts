/**
 * Does a text contain any of a set of ASCII keywords, case-insensitively? An Aho-Corasick automaton
 * compiled to a dense transition table: one table lookup per character, no lower-casing copy, no
 * backtracking. The web rules' prefilter runs this on every request line of a case (millions).
 */
/**
 * The automaton of several keyword sets: a dense transition table over ASCII (128 columns per state)
 * and, per state, a bit mask of the sets whose keyword ends there (`words` 32-bit words per state),
 * failure links folded into both.
 */
type Automaton = Readonly<{ next: Int32Array; out: Uint32Array; words: number; empty: boolean }>;

function automaton(sets: ReadonlyArray<ReadonlyArray<string>>): Automaton {
  const words = Math.max(1, Math.ceil(sets.length / 32));
  // Trie over ASCII (keywords with other characters can never match a byte of ASCII text: they are kept as typed).
  const gotoRows: Int32Array[] = [new Int32Array(128).fill(-1)];
  const outs: Uint32Array[] = [new Uint32Array(words)];
  let empty = true;
  sets.forEach((set, g) => {
    for (const w of new Set(set.map((k) => k.toLowerCase()).filter((k) => k.length > 0))) {
      empty = false;
      let s = 0;
      for (let i = 0; i < w.length; i += 1) {
        const c = w.charCodeAt(i) & 127;
        const row = gotoRows[s] as Int32Array;
        if ((row[c] ?? -1) < 0) {
          row[c] = gotoRows.length;
          gotoRows.push(new Int32Array(128).fill(-1));
          outs.push(new Uint32Array(words));
        }
        s = row[c] as number;
      }
      const o = outs[s] as Uint32Array;
      o[g >>> 5] = ((o[g >>> 5] ?? 0) | (1 << (g & 31))) >>> 0;
    }
  });
  // Breadth-first: failure links folded into a full transition table and into the output masks.
  const n = gotoRows.length;
  const next = new Int32Array(n * 128);
  const fail = new Int32Array(n);
  const queue: number[] = [];
  const root = gotoRows[0] as Int32Array;
  for (let c = 0; c < 128; c += 1) {
    const t = root[c] ?? -1;
    if (t >= 0) {
      next[c] = t;
      fail[t] = 0;
      queue.push(t);
    } else {
      next[c] = 0;
    }
  }
  for (let qi = 0; qi < queue.length; qi += 1) {
    const s = queue[qi] as number;
    const o = outs[s] as Uint32Array;
    const f = outs[fail[s] ?? 0] as Uint32Array;
    for (let k = 0; k < words; k += 1) {
      o[k] = ((o[k] ?? 0) | (f[k] ?? 0)) >>> 0;
    }
    const row = gotoRows[s] as Int32Array;
    for (let c = 0; c < 128; c += 1) {
      const t = row[c] ?? -1;
      if (t >= 0) {
        next[s * 128 + c] = t;
        fail[t] = next[(fail[s] ?? 0) * 128 + c] ?? 0;
        queue.push(t);
      } else {
        next[s * 128 + c] = next[(fail[s] ?? 0) * 128 + c] ?? 0;
      }
    }
  }
  const out = new Uint32Array(n * words);
  outs.forEach((o, s) => out.set(o, s * words));
  return { next, out, words, empty };
}

/** A text's character as the automaton reads it: A-Z as a-z, anything beyond ASCII as 0. */
function column(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 65 && c <= 90 ? c + 32 : c > 127 ? 0 : c;
}

export class KeywordMatcher {
  readonly #next: Int32Array;
  readonly #final: Uint8Array;
  readonly empty: boolean;

  constructor(words: ReadonlyArray<string>) {
    const a = automaton([words]);
    this.#next = a.next;
    this.#final = Uint8Array.from(a.out, (m) => (m === 0 ? 0 : 1));
    this.empty = a.empty;
  }

  /** True when `text` contains a keyword (ASCII letters compared without case). */
  test(text: string): boolean {
    if (this.empty) {
      return false;
    }
    const next = this.#next;
    const final = this.#final;
    let s = 0;
    for (let i = 0; i < text.length; i += 1) {
      s = next[s * 128 + column(text, i)] as number;
      if (final[s] === 1) {
        return true;
      }
    }
    return false;
  }
}

/**
 * Which of several keyword sets a text holds a keyword of, in one pass (the web rules: one set per rule,
 * so a line's candidate rules come from one reading of it instead of an `includes` per keyword and rule).
 * Same reading of the text as KeywordMatcher.
 */
export class KeywordSets {
  readonly #a: Automaton;
  readonly size: number;

  constructor(sets: ReadonlyArray<ReadonlyArray<string>>) {
    this.#a = automaton(sets);
    this.size = sets.length;
  }

  /** The sets `text` holds a keyword of: bit `i & 31` of word `i >>> 5` for set i. */
  match(text: string): Uint32Array {
    const { next, out, words } = this.#a;
    const found = new Uint32Array(words);
    if (this.#a.empty) {
      return found;
    }
    let s = 0;
    for (let i = 0; i < text.length; i += 1) {
      s = next[s * 128 + column(text, i)] as number;
      for (let k = 0; k < words; k += 1) {
        found[k] = ((found[k] ?? 0) | (out[s * words + k] ?? 0)) >>> 0;
      }
    }
    return found;
  }

  /** True when set `i` is in a result of `match`. */
  static has(found: Uint32Array, i: number): boolean {
    return (((found[i >>> 5] ?? 0) >>> (i & 31)) & 1) === 1;
  }
}
