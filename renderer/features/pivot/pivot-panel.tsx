import './pivot.css';
import { Button, HTMLSelect, InputGroup, NonIdealState, Tab, Tabs } from '@blueprintjs/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { PivotEntity, PivotKind } from '../../../shared/domain/pivot';
import type { SectionProps } from '../workspace/sections';
import { EntityView } from './entity-view';
import { isPivotKind, parsePivotHash, pivotHash, type PivotLocation, type PivotTab } from './open-pivot';
import { SessionsView } from './sessions-view';
import { useRefreshPivotAfterIngest } from './use-pivot-data';

const KIND_OPTIONS: ReadonlyArray<{ value: PivotKind; label: string }> = [
  { value: 'ip', label: 'IP or CIDR' },
  { value: 'user', label: 'User' },
  { value: 'pid', label: 'PID' },
  { value: 'host', label: 'Host' },
];

function currentLocation(): PivotLocation {
  return parsePivotHash(window.location.hash) ?? { entity: null, tab: 'entity' };
}

/** Keeps the address bar on this page's state (without a history entry), and follows pasted or pushed addresses. */
function usePivotLocation(): [PivotLocation, (next: PivotLocation) => void] {
  const [loc, setLoc] = useState(currentLocation);
  useEffect(() => {
    const onHash = () => {
      const next = parsePivotHash(window.location.hash);
      if (next !== null) {
        setLoc(next);
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const hash = pivotHash(loc.entity, loc.tab);
    if (window.location.hash !== hash) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
    }
  }, [loc]);
  // leaving the section leaves the address clean
  useEffect(
    () => () => {
      if (parsePivotHash(window.location.hash) !== null) {
        window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
      }
    },
    [],
  );
  return [loc, setLoc];
}

/** Keyed by the entity shown: another entity (a who-else click) starts it afresh. */
function EntityForm({ entity, onSubmit }: Readonly<{ entity: PivotEntity | null; onSubmit: (e: PivotEntity) => void }>) {
  const [kind, setKind] = useState<PivotKind>(entity?.kind ?? 'ip');
  const [value, setValue] = useState(entity?.value ?? '');
  function submit(e: FormEvent): void {
    e.preventDefault();
    if (value.trim() !== '') {
      onSubmit({ kind, value: kind === 'user' ? value : value.trim() });
    }
  }

  return (
    <form className="dossier-toolbar dossier-pivot-form" onSubmit={submit} aria-label="Pivot on an entity">
      <HTMLSelect
        aria-label="What to pivot on"
        value={kind}
        onChange={(e) => isPivotKind(e.target.value) && setKind(e.target.value)}
        options={KIND_OPTIONS.map((o) => ({ value: o.value, label: o.label }))}
      />
      <InputGroup
        className="dossier-pivot-input"
        aria-label="Value to pivot on"
        placeholder={kind === 'ip' ? '203.0.113.45 or 203.0.113.0/24' : kind === 'user' ? 'root' : kind === 'pid' ? '7311' : 'www1'}
        value={value}
        maxLength={256}
        onChange={(e) => setValue(e.target.value)}
      />
      <Button type="submit" icon="search-around" intent="primary" text="Pivot" disabled={value.trim() === ''} />
    </form>
  );
}

/**
 * The Pivot section: one entity (IP/CIDR, user, PID, host) across every source of the case, and the
 * auth.log sessions. Opened from anywhere with `openPivot(kind, value)` (open-pivot.ts).
 */
export function PivotPanel({ summary }: SectionProps) {
  const casePath = summary.path;
  const zone = summary.timeZone;
  const [loc, setLoc] = usePivotLocation();
  useRefreshPivotAfterIngest(casePath);
  const entity = loc.entity;

  return (
    <div className="dossier-panel dossier-pivot" data-testid="pivot">
      <Tabs id="pivot-tabs" selectedTabId={loc.tab} onChange={(id) => setLoc({ entity, tab: id as PivotTab })} size="medium">
        <Tab id="entity" title="Entity" icon="search-around" />
        <Tab id="sessions" title="Auth sessions" icon="log-in" />
      </Tabs>
      {loc.tab === 'entity' ? (
        <div className="dossier-pivot-entity">
          <EntityForm key={entity === null ? 'form' : `form:${entity.kind}:${entity.value}`} entity={entity} onSubmit={(e) => setLoc({ entity: e, tab: 'entity' })} />
          {entity === null ? (
            <NonIdealState
              icon="search-around"
              title="Pivot on an address, a user, a process or a host"
              description="Everything the case knows about it in one page: where it appears, when, with what, and who else. From the timeline, use the pivot buttons of an event's detail."
            />
          ) : (
            <EntityView key={`view:${entity.kind}:${entity.value}`} casePath={casePath} entity={entity} zone={zone} />
          )}
        </div>
      ) : (
        <SessionsView casePath={casePath} zone={zone} />
      )}
    </div>
  );
}
