import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';

/** Tables render every row up to this many; above it only the visible rows (plus a margin). */
export const VIRTUALISE_ABOVE = 200;

export type VirtualRows = Readonly<{
  /** Indexes of the rows to render, in order. */
  indexes: ReadonlyArray<number>;
  /** Spacer heights above and below the rendered rows (0 when not virtualised). */
  paddingTop: number;
  paddingBottom: number;
  virtualised: boolean;
}>;

/** Row windowing for a plain <table> inside the scroll container `scrollRef`. */
export function useVirtualRows(count: number, scrollRef: RefObject<HTMLElement | null>, rowHeight: number): VirtualRows {
  const virtualised = count > VIRTUALISE_ABOVE;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    enabled: virtualised,
  });
  if (!virtualised) {
    return { indexes: Array.from({ length: count }, (_, i) => i), paddingTop: 0, paddingBottom: 0, virtualised };
  }
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items.at(-1);
  return {
    indexes: items.map((i) => i.index),
    paddingTop: first?.start ?? 0,
    paddingBottom: last === undefined ? 0 : virtualizer.getTotalSize() - last.end,
    virtualised,
  };
}
