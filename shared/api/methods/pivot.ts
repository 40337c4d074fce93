/**
 * Contract methods of one area: the pivot pages and auth.log sessions (pivot.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/pivot.ts;
 * preload allowlist in electron/preload/channels/pivot.ts.
 */
import {
  AuthSessionDetail,
  PivotEntity,
  PivotSummary,
  PivotTimeline,
  PivotTimelineRequest,
  SessionList,
  SessionRequest,
  SessionsRequest,
} from '../../domain/pivot';
import { method, type MethodSpec } from '../method';

export const pivotMethods = {
  /** One entity across every source: first/last seen, counts per source, related values, who else, findings. */
  'pivot.entity': method(PivotEntity, PivotSummary),
  /** The entity's mini-timeline: counts per bucket, stacked by source kind. */
  'pivot.timeline': method(PivotTimelineRequest, PivotTimeline),
  /** auth.log sessions (login, sudo/su, logout) with the web requests of the same address around them. */
  'pivot.sessions': method(SessionsRequest, SessionList),
  /** One session with its commands, its own lines and a sample of the web activity around it. */
  'pivot.session': method(SessionRequest, AuthSessionDetail),
} as const satisfies Record<string, MethodSpec>;
