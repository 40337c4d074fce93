/** The state the writer and the checkpoint worker share (an Int32Array over a SharedArrayBuffer). */
export const CheckpointSlot = {
  /** The writer's latest commit number (a checkpoint is wanted up to it). */
  Requested: 0,
  /** The commit number the last finished checkpoint covered. */
  Done: 1,
  /** Frames in the WAL when the last checkpoint finished. */
  Frames: 2,
  /** 1 once the worker could not open the case or a checkpoint failed. */
  Failed: 3,
} as const;

export const CHECKPOINT_SLOTS = 4;

export type CheckpointWorkerData = Readonly<{ path: string; state: SharedArrayBuffer }>;
