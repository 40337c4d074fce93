/** Time display helpers. Stored times are UTC ISO strings; the case's zone only changes how they read. */

/** "2026-11-22T00:12:33.123Z" → "2026-11-22 00:12:33.123" (the UTC column of the audit log). */
export function formatUtc(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)/u.exec(iso);
  return m === null ? iso : `${m[1]} ${m[2]}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The same instant as wall-clock time in `zone`, e.g. "2026-11-22 01:12:33 (Europe/Zurich)". Falls back to UTC text. */
export function formatInZone(iso: string, zone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      return `${formatUtc(iso)} UTC`;
    }
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}
