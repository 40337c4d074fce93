/**
 * Does a text contain any of a set of ASCII keywords, case-insensitively? An Aho-Corasick automaton
 * compiled to a dense transition table: one table lookup per character, no lower-casing copy, no
 * backtracking. The web rules' prefilter runs this on every request line of a case (millions).
 */
export class KeywordMatcher {
  readonly #next: Int32Array;
  readonly #final: Uint8Array;
  readonly empty: boolean;

  constructor(words: ReadonlyArray<string>) {
    const list = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length > 0))];
    this.empty = list.length === 0;
    // Trie over ASCII (keywords with other characters can never match a byte of ASCII text: they are kept as typed).
    const gotoRows: Int32Array[] = [new Int32Array(128).fill(-1)];
    const final: number[] = [0];
    for (const w of list) {
      let s = 0;
      for (let i = 0; i < w.length; i += 1) {
        const c = w.charCodeAt(i) & 127;
        const row = gotoRows[s] as Int32Array;
        if ((row[c] ?? -1) < 0) {
          row[c] = gotoRows.length;
          gotoRows.push(new Int32Array(128).fill(-1));
          final.push(0);
        }
        s = row[c] as number;
      }
      final[s] = 1;
    }
    // Breadth-first: failure links folded into a full transition table.
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
      final[s] = (final[s] ?? 0) | (final[fail[s] ?? 0] ?? 0);
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
    this.#next = next;
    this.#final = Uint8Array.from(final);
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
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) {
        c += 32;
      } else if (c > 127) {
        c = 0;
      }
      s = next[s * 128 + c] as number;
      if (final[s] === 1) {
        return true;
      }
    }
    return false;
  }
}
