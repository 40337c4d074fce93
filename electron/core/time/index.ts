/** The time resolver: wall clock → UTC with provenance (zone, clock offset, inferred year). */
export { zonedWallToUtc, utcToZonedWall, formatZonedSeconds, isValidZone, listZones, type WallTime, type ZonedResult, type ZonedWall } from './zoned';
export {
  inferYears,
  isRollover,
  yearFromReference,
  createYearResolver,
  type YearReason,
  type YearReference,
  type InferredYears,
  type YearResolver,
  type YearResolverOptions,
} from './year';
export { resolveTime, type TimeContext, type ResolvedTime } from './resolve';
