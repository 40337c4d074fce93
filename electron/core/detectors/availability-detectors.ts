/**
 * Availability and crash detectors over small event sets: segfault storms (rate per minute of
 * "child pid N exit signal Segmentation fault", seed 004), MaxClients reached, restart loops.
 * Request floods and POST bursts are counted in SQL (millions of rows) and shaped here.
 */
import type { DetectorParams } from '../../../shared/domain/findings';
import { peakInWindow } from './auth-detectors';
import { DraftBuilder, fmtCount, type DetEvent, type FindingDraft } from './types';

const MINUTE = 60_000;

/** Minutes with at least `perMinute` crashes, merged into storms when less than 5 minutes apart. */
export function detectSegfaultStorms(crashes: ReadonlyArray<DetEvent>, p: DetectorParams): FindingDraft[] {
  const perMinute = new Map<number, DetEvent[]>();
  for (const e of crashes) {
    if (e.ts === null) {
      continue;
    }
    const m = Math.floor(e.ts / MINUTE);
    const list = perMinute.get(m);
    if (list === undefined) {
      perMinute.set(m, [e]);
    } else {
      list.push(e);
    }
  }
  const hot = [...perMinute.entries()].filter(([, l]) => l.length >= p.segfaultsPerMinute).sort((a, b) => a[0] - b[0]);
  const storms: Array<Array<[number, DetEvent[]]>> = [];
  for (const entry of hot) {
    const last = storms[storms.length - 1];
    const prev = last?.[last.length - 1];
    if (last !== undefined && prev !== undefined && entry[0] - prev[0] <= 5) {
      last.push(entry);
    } else {
      storms.push([entry]);
    }
  }
  return storms.map((minutes) => {
    const first = minutes[0]?.[0] ?? 0;
    const lastMinute = minutes[minutes.length - 1]?.[0] ?? first;
    // Every crash between the storm's first and last hot minute belongs to it.
    const inside = crashes.filter((e) => e.ts !== null && e.ts >= first * MINUTE && e.ts < (lastMinute + 1) * MINUTE);
    const peak = Math.max(...minutes.map(([, l]) => l.length));
    const span = lastMinute - first + 1;
    const b = new DraftBuilder({
      key: `crash.segfault_storm|${first}`, rule: 'crash.segfault_storm', title: `Segfault storm: ${fmtCount(inside.length, 'crash')} in ${span} min`,
      description: `Apache children died with a signal ${inside.length.toLocaleString('en')} times over ${span} min (peak ${peak}/min, mean ${(inside.length / span).toFixed(1)}/min). Crash storms follow exploit attempts against modules or a poisoned process.`,
      category: 'crash', severity: 'high', details: { crashes: inside.length, peakPerMinute: peak, minutes: span, hotMinutes: minutes.length },
    });
    inside.forEach((e) => b.add(e));
    return b.draft;
  });
}

export function detectMaxClients(events: ReadonlyArray<DetEvent>): FindingDraft[] {
  if (events.length === 0) {
    return [];
  }
  const b = new DraftBuilder({
    key: 'availability.maxclients', rule: 'availability.maxclients', title: `Server reached MaxClients ${fmtCount(events.length, 'time')}`,
    description: 'Apache ran out of workers: new connections wait or are refused (a flood or slow-read attack holds the workers).',
    category: 'availability', severity: 'medium', details: { times: events.length },
  });
  events.forEach((e) => b.add(e));
  return [b.draft];
}

export function detectRestartLoops(starts: ReadonlyArray<DetEvent>, p: DetectorParams): FindingDraft[] {
  const ts = starts.flatMap((e) => (e.ts === null ? [] : [e.ts]));
  const peak = peakInWindow(ts, p.restartWindowMinutes * MINUTE);
  if (peak < p.restartCount) {
    return [];
  }
  const b = new DraftBuilder({
    key: 'availability.restart_loop', rule: 'availability.restart_loop', title: `Restart loop: ${peak} (re)starts within ${p.restartWindowMinutes} min`,
    description: `The web server was started or restarted ${fmtCount(starts.length, 'time')} in all, up to ${peak} times within ${p.restartWindowMinutes} min (a watchdog such as monit restarting a failing server).`,
    category: 'availability', severity: 'medium', details: { starts: starts.length, peakInWindow: peak },
  });
  starts.forEach((e) => b.add(e));
  return [b.draft];
}
