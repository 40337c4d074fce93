/** Preload allowlist entries of the files area: one line per method of shared/api/methods/files.ts. */
export const FILES_METHODS = {
  'files.changes': true,
  'files.activity': true,
  'files.strace': true,
} as const;
