import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createYearResolver, resolveTime } from '../../time';
import { parseSyslogLine } from './syslog-line';

/** Microbenchmark, only with DOSSIER_MICROBENCH=1 (prints lines/s; no timed assertion). */
const enabled = process.env['DOSSIER_MICROBENCH'] === '1';

function fixture(name: string): string[] {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

function rate(lines: ReadonlyArray<string>, rounds: number, fn: (l: string) => unknown): number {
  for (const l of lines) {
    fn(l); // warm-up
  }
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const l of lines) {
      fn(l);
      n++;
    }
  }
  return n / ((performance.now() - t0) / 1000);
}

describe.skipIf(!enabled)('syslog microbenchmark', () => {
  it('parses auth and syslog lines', () => {
    const auth = fixture('auth-sample.log');
    const variants = fixture('syslog-variants.log');
    // a plain, un-enriched syslog mix (the bulk of /var/log/syslog)
    const plain = Array.from({ length: 50 }, (_, i) => `May  5 13:${String(i % 60).padStart(2, '0')}:45 web1 kernel: [${i}.123456] eth0: link is up ${i}`);
    const authRate = rate(auth, 20_000, parseSyslogLine);
    const variantRate = rate(variants, 20_000, parseSyslogLine);
    const plainRate = rate(plain, 10_000, parseSyslogLine);
    const resolver = createYearResolver({ referenceYear: 2024, referenceMonth: 6, reason: 'file_mtime' });
    const parsed = auth.map((l) => parseSyslogLine(l)).flatMap((r) => (r.ok && r.event.time !== null ? [r.event.time] : []));
    const resolveRate = rate(
      parsed.map((_, i) => String(i)),
      20_000,
      (i) => {
        const t = parsed[Number(i)];
        if (t?.kind === 'local') {
          resolveTime(t, { zone: 'Europe/Zurich', clockOffsetMs: 0, year: resolver.yearFor(t.month).year, yearReason: 'file_mtime' });
        }
      },
    );
    console.log(
      `[microbench] parseSyslogLine: auth.log lines ${Math.round(authRate).toLocaleString('en')}/s, variants ${Math.round(variantRate).toLocaleString('en')}/s, plain syslog ${Math.round(plainRate).toLocaleString('en')}/s; resolveTime (Europe/Zurich, cached hours) ${Math.round(resolveRate).toLocaleString('en')}/s`,
    );
    expect(authRate).toBeGreaterThan(0);
  });
});
