/** Clock offsets as the analyst types them: `+01:30:00`, `-00:00:05.250`, or seconds (`90`, `-5.25`). */

/** The contract's bound: ±10 years. */
export const MAX_CLOCK_OFFSET_MS = 10 * 365 * 86_400_000;

export type ParsedOffset = Readonly<{ ok: true; ms: number }> | Readonly<{ ok: false; error: string }>;

const CLOCK = /^([+-])?(\d{1,6}):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3}))?)?$/u;
const SECONDS = /^([+-])?(\d{1,12})(?:\.(\d{1,3}))?\s*s?$/u;
const HELP = 'Use ±HH:MM:SS[.mmm] or seconds, e.g. +01:30:00, -00:00:05.250 or -5.25.';

function fraction(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits.padEnd(3, '0'));
}

/** Parses an offset; an empty field means "no offset" (0). */
export function parseClockOffset(text: string): ParsedOffset {
  const t = text.trim();
  if (t === '') {
    return { ok: true, ms: 0 };
  }
  let sign: number;
  let ms: number;
  const clock = CLOCK.exec(t);
  const seconds = clock === null ? SECONDS.exec(t) : null;
  if (clock !== null) {
    sign = clock[1] === '-' ? -1 : 1;
    ms = (Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4] ?? '0')) * 1000 + fraction(clock[5]);
  } else if (seconds !== null) {
    sign = seconds[1] === '-' ? -1 : 1;
    ms = Number(seconds[2]) * 1000 + fraction(seconds[3]);
  } else {
    return { ok: false, error: HELP };
  }
  if (ms > MAX_CLOCK_OFFSET_MS) {
    return { ok: false, error: 'An offset can be at most 10 years.' };
  }
  return { ok: true, ms: sign * ms };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 5_400_000 → "+01:30:00"; -5_250 → "-00:00:05.250"; 0 → "+00:00:00". */
export function formatClockOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(Math.trunc(ms));
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const milli = abs % 1000;
  return `${sign}${pad(h)}:${pad(m)}:${pad(s)}${milli === 0 ? '' : `.${pad(milli, 3)}`}`;
}
