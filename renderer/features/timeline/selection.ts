/**
 * Row selection by event id (ids survive paging, where indexes do not). `focus` is the row the
 * keyboard moves from and the detail follows; `anchor` is where a shift-range starts.
 */
export type Selection = Readonly<{ ids: ReadonlySet<number>; anchor: number | null; focus: number | null }>;

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, focus: null };

export function selectOne(id: number): Selection {
  return { ids: new Set([id]), anchor: id, focus: id };
}

export function toggleOne(sel: Selection, id: number): Selection {
  const ids = new Set(sel.ids);
  if (ids.has(id)) {
    ids.delete(id);
  } else {
    ids.add(id);
  }
  return { ids, anchor: id, focus: id };
}

/** Selects from the anchor to `id` (inclusive) in table order. */
export function extendTo(sel: Selection, order: ReadonlyArray<number>, id: number): Selection {
  const to = order.indexOf(id);
  const anchor = sel.anchor ?? sel.focus;
  const from = anchor === null ? -1 : order.indexOf(anchor);
  if (to < 0) {
    return sel;
  }
  if (from < 0) {
    return selectOne(id);
  }
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  return { ids: new Set(order.slice(lo, hi + 1)), anchor, focus: id };
}

/**
 * One step up or down (j/k, arrows); with `extend` the range grows from the anchor. Starts at the
 * first row when nothing is focused (or the focused row is no longer loaded).
 */
export function moveFocus(sel: Selection, order: ReadonlyArray<number>, delta: number, extend: boolean): Selection {
  if (order.length === 0) {
    return sel;
  }
  const at = sel.focus === null ? -1 : order.indexOf(sel.focus);
  const next = at < 0 ? 0 : Math.min(Math.max(at + delta, 0), order.length - 1);
  const id = order[next];
  if (id === undefined) {
    return sel;
  }
  return extend && at >= 0 ? extendTo(sel, order, id) : selectOne(id);
}

/** The selected ids in table order. */
export function orderedSelection(sel: Selection, order: ReadonlyArray<number>): number[] {
  return order.filter((id) => sel.ids.has(id));
}
