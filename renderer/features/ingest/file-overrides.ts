import type { FileSettings, ScannedFile } from '../../../shared/domain/evidence';

type FormatId = NonNullable<FileSettings['format']>;

/** What the analyst changed for one file in the preview. */
export type FileOverride = Readonly<{ format?: FormatId; logFormat?: string; timeZone?: string }>;
export type Overrides = Readonly<Record<string, FileOverride>>;

export const CUSTOM_FORMAT: FormatId = 'apache_access_custom';

/** Files whose format can be forced: plain or compressed single files (not archives, links, devices). */
export function canOverride(file: ScannedFile): boolean {
  return file.kind === 'file' && (file.container === 'plain' || file.container === 'gzip' || file.container === 'bzip2');
}

export type BuiltSettings = Readonly<{ ok: true; files: Record<string, FileSettings> }> | Readonly<{ ok: false; missingLogFormat: ReadonlyArray<string> }>;

/** The `files` of `ingest.start`: only files with an override; a custom LogFormat must be given. */
export function buildFileSettings(overrides: Overrides): BuiltSettings {
  const files: Record<string, FileSettings> = {};
  const missing: string[] = [];
  for (const [path, o] of Object.entries(overrides)) {
    const settings: FileSettings = {};
    if (o.format !== undefined) {
      settings.format = o.format;
      if (o.format === CUSTOM_FORMAT) {
        const logFormat = (o.logFormat ?? '').trim();
        if (logFormat === '') {
          missing.push(path);
        }
        settings.logFormat = logFormat;
      }
    }
    if (o.timeZone !== undefined) {
      settings.timeZone = o.timeZone;
    }
    if (Object.keys(settings).length > 0) {
      files[path] = settings;
    }
  }
  return missing.length > 0 ? { ok: false, missingLogFormat: missing } : { ok: true, files };
}

/** Sets or clears one field of one file's override (undefined clears). */
export function withOverride(overrides: Overrides, path: string, change: Partial<Record<keyof FileOverride, string | undefined>>): Overrides {
  const next: Record<string, string | undefined> = { ...overrides[path], ...change };
  if (next['format'] !== CUSTOM_FORMAT) {
    delete next['logFormat'];
  }
  const cleaned = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as FileOverride;
  const rest = Object.fromEntries(Object.entries(overrides).filter(([p]) => p !== path));
  return Object.keys(cleaned).length === 0 ? rest : { ...rest, [path]: cleaned };
}
