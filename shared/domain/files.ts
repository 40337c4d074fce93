/**
 * Files and processes: what the files.* calls return (hash manifests compared, bodyfile activity
 * around a time, strace per PID). Every list item carries the timeline filter that shows its events.
 */
import { z } from 'zod';
import { TimelineFilter } from './timeline';

export const ManifestInfo = z.object({
  evidenceId: z.number(),
  path: z.string(),
  /** When the manifest was taken: the file's modification time (a hash line carries no time). */
  capturedMs: z.number().nullable(),
  capturedFrom: z.enum(['file_mtime', 'analyst']),
  entries: z.number(),
  algorithms: z.array(z.string()),
});
export type ManifestInfo = z.infer<typeof ManifestInfo>;

export const FileChange = z.object({
  status: z.enum(['changed', 'appeared', 'disappeared']),
  relPath: z.string(),
  baselinePath: z.string().nullable(),
  currentPath: z.string().nullable(),
  baselineHash: z.string().nullable(),
  currentHash: z.string().nullable(),
  algorithm: z.string(),
  eventIds: z.array(z.number()),
  /** When the change shows on the timeline: the bodyfile's mtime of the file when known, else the current manifest's capture time. */
  atMs: z.number().nullable(),
  atFrom: z.enum(['bodyfile_mtime', 'manifest_captured', 'none']),
  /** The manifest lines of this path. */
  filter: TimelineFilter,
  /** The bodyfile events of this path (null without a bodyfile). */
  bodyfileFilter: TimelineFilter.nullable(),
});
export type FileChange = z.infer<typeof FileChange>;

export const BodyfileCheck = z.object({
  status: z.enum(['md5_differs', 'modified_after', 'missing_in_bodyfile']),
  relPath: z.string(),
  manifestPath: z.string(),
  bodyfilePath: z.string().nullable(),
  atMs: z.number().nullable(),
  detail: z.string(),
  eventIds: z.array(z.number()),
  filter: TimelineFilter,
});
export type BodyfileCheck = z.infer<typeof BodyfileCheck>;

export const FileChanges = z.object({
  manifests: z.array(ManifestInfo),
  bodyfiles: z.array(z.object({ evidenceId: z.number(), path: z.string(), entries: z.number() })),
  baselineId: z.number().nullable(),
  currentId: z.number().nullable(),
  diff: z
    .object({
      prefixBaseline: z.string(),
      prefixCurrent: z.string(),
      unchanged: z.number(),
      incomparable: z.number(),
      counts: z.object({ changed: z.number(), appeared: z.number(), disappeared: z.number() }),
      changes: z.array(FileChange),
      truncated: z.boolean(),
    })
    .nullable(),
  bodyfileId: z.number().nullable(),
  bodyfileChecks: z.array(BodyfileCheck),
});
export type FileChanges = z.infer<typeof FileChanges>;

export const ActivityAnchor = z.object({ ts: z.number(), label: z.string(), eventId: z.number() });
export type ActivityAnchor = z.infer<typeof ActivityAnchor>;

export const FileActivity = z.object({
  at: z.number().nullable(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  bucketMs: z.number(),
  histogram: z.array(z.object({ start: z.number(), m: z.number(), a: z.number(), c: z.number(), b: z.number() })),
  counts: z.object({ m: z.number(), a: z.number(), c: z.number(), b: z.number(), events: z.number(), files: z.number() }),
  rows: z.array(
    z.object({
      eventId: z.number(),
      ts: z.number(),
      offsetMs: z.number(),
      macb: z.string(),
      name: z.string(),
      mode: z.string().nullable(),
      uid: z.string().nullable(),
      size: z.number().nullable(),
      evidencePath: z.string(),
    }),
  ),
  truncated: z.boolean(),
  /** Times worth looking around: Apache restarts and stops, processes killed under strace. */
  anchors: z.array(ActivityAnchor),
  bodyfileEvents: z.number(),
  filter: TimelineFilter,
});
export type FileActivity = z.infer<typeof FileActivity>;

export const StracePid = z.object({
  pid: z.number(),
  evidencePaths: z.array(z.string()),
  first: z.number().nullable(),
  last: z.number().nullable(),
  events: z.number(),
  syscalls: z.number(),
  failed: z.number(),
  topSyscalls: z.array(z.object({ name: z.string(), count: z.number() })),
  signals: z.array(z.object({ signal: z.string(), count: z.number(), firstEventId: z.number() })),
  kills: z.array(z.object({ target: z.number().nullable(), signal: z.string().nullable(), eventId: z.number() })),
  end: z.object({ kind: z.enum(['killed', 'exited', 'detached']), text: z.string(), eventId: z.number(), ts: z.number().nullable() }).nullable(),
  errorLog: z.array(z.object({ eventId: z.number(), ts: z.number().nullable(), message: z.string(), evidencePath: z.string(), signal: z.string().nullable() })),
  filter: TimelineFilter,
  errorLogFilter: TimelineFilter.nullable(),
});
export type StracePid = z.infer<typeof StracePid>;

export const StraceSummary = z.object({ pids: z.array(StracePid), truncated: z.boolean() });
export type StraceSummary = z.infer<typeof StraceSummary>;
