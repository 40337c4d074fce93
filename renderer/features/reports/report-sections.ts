/** The report builder's section list: which sections, in which order (pure, tested). */
import { REPORT_SECTION_IDS, type ReportSectionId } from '../../../shared/api/methods/reports';

export type SectionChoice = Readonly<{ id: ReportSectionId; on: boolean }>;

export function defaultChoices(): SectionChoice[] {
  return REPORT_SECTION_IDS.map((id) => ({ id, on: true }));
}

/** Moves the section at `index` up (-1) or down (+1); out-of-range moves change nothing. */
export function moveChoice(list: ReadonlyArray<SectionChoice>, index: number, delta: -1 | 1): SectionChoice[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) {
    return [...list];
  }
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item !== undefined) {
    next.splice(target, 0, item);
  }
  return next;
}

export function toggleChoice(list: ReadonlyArray<SectionChoice>, id: ReportSectionId, on: boolean): SectionChoice[] {
  return list.map((c) => (c.id === id ? { ...c, on } : c));
}

export function chosenSections(list: ReadonlyArray<SectionChoice>): ReportSectionId[] {
  return list.filter((c) => c.on).map((c) => c.id);
}

function stamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
}

/** A file name for the report: the case name made safe, and the time. */
export function reportFileName(caseName: string, ext: string, now: Date = new Date()): string {
  // eslint-disable-next-line no-control-regex
  const base = caseName.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/gu, '_').replace(/\s+/gu, ' ').trim().slice(0, 80) || 'case';
  return `${base} report ${stamp(now)}.${ext}`;
}

export function joinPath(dir: string, name: string, platform: string): string {
  const sep = platform === 'win32' ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/**
 * The charts chosen for the report: `null` means every chart the case can draw (also those a later
 * ingest makes available); otherwise the ids ticked, in the order the case lists them.
 */
export type ChartChoice = ReadonlyArray<string> | null;

export function isChartChosen(choice: ChartChoice, id: string): boolean {
  return choice === null || choice.includes(id);
}

export function toggleChart(choice: ChartChoice, available: ReadonlyArray<string>, id: string, on: boolean): ChartChoice {
  const current = new Set(choice ?? available);
  if (on) {
    current.add(id);
  } else {
    current.delete(id);
  }
  const next = available.filter((a) => current.has(a));
  return next.length === available.length ? null : next;
}

/** The `charts` report option: absent for all of them. */
export function chartsOption(choice: ChartChoice): { charts?: string[] } {
  return choice === null ? {} : { charts: [...choice] };
}
