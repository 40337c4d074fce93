import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, extendTo, moveFocus, orderedSelection, selectOne, toggleOne } from './selection';

const order = [10, 20, 30, 40, 50];

describe('selection', () => {
  it('moves with j/k from the first row, clamped', () => {
    let s = moveFocus(EMPTY_SELECTION, order, 1, false);
    expect([...s.ids]).toEqual([10]);
    s = moveFocus(s, order, 1, false);
    expect(s.focus).toBe(20);
    s = moveFocus(s, order, -5, false);
    expect(s.focus).toBe(10);
    expect(moveFocus(selectOne(50), order, 1, false).focus).toBe(50);
  });
  it('extends from the anchor with shift', () => {
    let s = selectOne(20);
    s = moveFocus(s, order, 1, true);
    s = moveFocus(s, order, 1, true);
    expect(orderedSelection(s, order)).toEqual([20, 30, 40]);
    s = moveFocus(s, order, -3, true);
    expect(orderedSelection(s, order)).toEqual([10, 20]);
    expect(orderedSelection(extendTo(selectOne(40), order, 20), order)).toEqual([20, 30, 40]);
  });
  it('toggles with ctrl', () => {
    const s = toggleOne(toggleOne(selectOne(10), 30), 10);
    expect(orderedSelection(s, order)).toEqual([30]);
  });
});
