/** Bit flags stored per event (events.flags). Stored in case files: never renumber. */
export const EventFlag = {
  /** The line was not understood by its parser: kept as raw text. */
  RawOnly: 1 << 0,
  /** The line's bytes are not valid UTF-8 (shown escaped; raw bytes kept). */
  InvalidUtf8: 1 << 1,
  /** The line was longer than the parse limit: kept whole, not parsed. */
  Oversized: 1 << 2,
  /** The time text carried its own UTC offset (or was an epoch): no zone applied. */
  TimeAbsolute: 1 << 3,
  /** A wall-clock time converted with the evidence's zone. */
  TimeZoned: 1 << 4,
  /** The year was not written and was inferred (see the evidence's year_reason). */
  YearInferred: 1 << 5,
  /** The wall-clock time falls in a DST overlap (occurs twice); the earlier instant was taken. */
  TimeAmbiguous: 1 << 6,
  /** The wall-clock time falls in a DST gap (never occurred); shifted forward. */
  TimeNonexistent: 1 << 7,
  /** The year was incremented at a December-to-January jump in the file. */
  YearRollover: 1 << 8,
  /** Only a time of day was written: the date was taken from the file's modification time (and midnight rollovers). */
  DateInferred: 1 << 9,
} as const;
export type EventFlagName = keyof typeof EventFlag;

export function flagNames(flags: number): EventFlagName[] {
  return (Object.keys(EventFlag) as EventFlagName[]).filter((k) => (flags & EventFlag[k]) !== 0);
}
