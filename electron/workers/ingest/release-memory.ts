/**
 * A full garbage collection between the phases of an ingest job (run-ingest-job.ts). Each phase leaves
 * its garbage behind (the load's row buffers and strings, the detectors' scans); V8 would collect it only
 * when the next phase had grown the heap further, so the next phase's peak stacked on the last one's
 * leftovers. Collected between phases, every later phase starts from the live heap: at 5M access lines
 * the JS heap's committed peak fell from 104 to 38 MB (docs/PERFORMANCE.md, session 9). A few tens of
 * milliseconds per phase.
 *
 * Node exposes `gc` only with --expose-gc; the flag set at run time gives it to contexts made after, so
 * one is made for it. When the runtime refuses, nothing is collected and the job goes on.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;
let count = 0;

function collector(): (() => void) | null {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const f: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      gc = typeof f === 'function' ? (f as () => void) : null;
    } catch {
      gc = null;
    }
  }
  return gc;
}

/** Collects the garbage of this thread's heap; false when the runtime has no collector to call. */
export function collectGarbage(): boolean {
  const f = collector();
  if (f === null) {
    return false;
  }
  f();
  count += 1;
  return true;
}

/**
 * Two full collections: the second gives back to the system the heap pages the first emptied, which V8 keeps
 * committed otherwise. Between the access scan and its per-minute GROUP BYs (5M access lines) one collection
 * left 71 MB of JS heap committed for the 30 MB still live; two, 39 MB (docs/PERFORMANCE.md, session 11).
 */
export function releaseGarbage(): boolean {
  return collectGarbage() && collectGarbage();
}

/** How many collections `collectGarbage` (and `releaseGarbage`, two each) made in this thread (for tests). */
export function garbageCollections(): number {
  return count;
}
