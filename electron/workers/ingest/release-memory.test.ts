import { describe, expect, it } from 'vitest';
import { collectGarbage, garbageCollections, releaseGarbage } from './release-memory';

describe('collectGarbage (between the phases of an ingest job)', () => {
  it('collects what nothing holds any more, and counts its collections', async () => {
    const before = garbageCollections();
    const ref = ((): WeakRef<object> => new WeakRef({ rows: new Array<number>(100_000).fill(1) }))();
    // A WeakRef's target stays alive until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
    expect(garbageCollections()).toBe(before + 1);
  });

  it('releases with two collections', async () => {
    const before = garbageCollections();
    const ref = ((): WeakRef<object> => new WeakRef({ rows: new Array<number>(100_000).fill(1) }))();
    await new Promise((resolve) => setImmediate(resolve));
    expect(releaseGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
    expect(garbageCollections()).toBe(before + 2);
  });
});
