/**
 * File activity around a chosen time from bodyfile events: which files were modified, accessed,
 * changed or born within ±window of, say, a restart; with a small histogram. Pure.
 */

export type ActivityRow = Readonly<{ eventId: number; ts: number; macb: string; name: string; mode: string | null; uid: string | null; size: number | null; evidencePath: string }>;

export type Activity = Readonly<{
  from: number;
  to: number;
  bucketMs: number;
  /** Counts per bucket and MACB letter. */
  histogram: ReadonlyArray<Readonly<{ start: number; m: number; a: number; c: number; b: number }>>;
  counts: Readonly<{ m: number; a: number; c: number; b: number; events: number; files: number }>;
  rows: ReadonlyArray<ActivityRow & Readonly<{ offsetMs: number }>>;
}>;

/** Buckets of the histogram across [at − window, at + window). */
export function summariseActivity(rows: ReadonlyArray<ActivityRow>, at: number, windowMs: number, buckets = 24): Activity {
  const from = at - windowMs;
  const to = at + windowMs;
  const n = Math.max(1, Math.min(240, Math.floor(buckets)));
  const bucketMs = Math.max(1, Math.ceil((to - from) / n));
  const histogram = Array.from({ length: n }, (_, i) => ({ start: from + i * bucketMs, m: 0, a: 0, c: 0, b: 0 }));
  const counts = { m: 0, a: 0, c: 0, b: 0, events: 0, files: 0 };
  const files = new Set<string>();
  const inside = rows.filter((r) => r.ts >= from && r.ts < to).sort((x, y) => x.ts - y.ts || x.eventId - y.eventId);
  for (const r of inside) {
    const h = histogram[Math.min(n - 1, Math.floor((r.ts - from) / bucketMs))];
    counts.events += 1;
    files.add(r.name);
    for (const letter of ['m', 'a', 'c', 'b'] as const) {
      if (r.macb.includes(letter)) {
        counts[letter] += 1;
        if (h !== undefined) {
          h[letter] += 1;
        }
      }
    }
  }
  counts.files = files.size;
  return { from, to, bucketMs, histogram, counts, rows: inside.map((r) => ({ ...r, offsetMs: r.ts - at })) };
}
