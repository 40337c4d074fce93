import { describe, expect, it } from 'vitest';
import { stateFromHash } from '../timeline/view-state';
import { entityFilter, parsePivotHash, pivotHash } from './open-pivot';

describe('pivot addresses', () => {
  it('round-trips entities, hostile values included', () => {
    for (const value of ['203.0.113.45', '10.0.0.0/8', '2001:db8::1', '<img src=x onerror=alert(1)>', 'a&kind=pid&value=1', '#/timeline', 'ünï cødé']) {
      expect(parsePivotHash(pivotHash({ kind: 'user', value }))).toEqual({ entity: { kind: 'user', value }, tab: 'entity' });
    }
    expect(parsePivotHash(pivotHash(null, 'sessions'))).toEqual({ entity: null, tab: 'sessions' });
  });

  it('ignores other addresses and unknown kinds', () => {
    expect(parsePivotHash('#/timeline?v=abc')).toBeNull();
    expect(parsePivotHash('#/pivotx')).toBeNull();
    expect(parsePivotHash('#/pivot?kind=mac&value=x')).toEqual({ entity: null, tab: 'entity' });
    expect(parsePivotHash('#/pivot?kind=ip&value=%20')).toEqual({ entity: null, tab: 'entity' });
  });

  it('turns entities into timeline filters the timeline accepts', () => {
    expect(entityFilter({ kind: 'ip', value: ' 10.0.0.0/8 ' })).toEqual({ srcIps: ['10.0.0.0/8'] });
    expect(entityFilter({ kind: 'user', value: ' admin' })).toEqual({ users: [' admin'] });
    expect(entityFilter({ kind: 'pid', value: '7311' })).toEqual({ pids: [7311] });
    expect(entityFilter({ kind: 'pid', value: '1; x' })).toEqual({});
    expect(entityFilter({ kind: 'host', value: 'shop' })).toEqual({ hosts: ['shop'] });
    // what the timeline reads back from the address openTimeline sets
    expect(stateFromHash(`#/timeline?v=${btoa(JSON.stringify({ v: 1, filter: entityFilter({ kind: 'ip', value: '1.2.3.4' }), zone: 'case', groupBy: 'sourceKind' }))}`)?.filter).toEqual({ srcIps: ['1.2.3.4'] });
  });
});
