import { Classes, Icon, NonIdealState, Spinner } from '@blueprintjs/core';
import { Suspense, useEffect, useState } from 'react';
import type { CaseSummary } from '../../../shared/domain/case';
import { useIngestEvents } from '../ingest/use-ingest';
import { WORKSPACE_SECTIONS } from './sections';

const SECTION_KEY = 'dossier.section:';

/** The section a `#/<section>…` address names (e.g. `#/timeline?v=…`, `#/pivot?kind=ip&value=…`), or null. */
export function sectionOfHash(hash: string): string | null {
  const m = /^#\/([a-z][a-z0-9-]*)(?:[?/]|$)/u.exec(hash);
  return WORKSPACE_SECTIONS.find((s) => s.id === m?.[1])?.id ?? null;
}

/** A `#/<section>…` address, or the section chosen for this case before a reload (per tab); null when none. */
function chosenSection(casePath: string): string | null {
  const fromHash = sectionOfHash(window.location.hash);
  if (fromHash !== null) {
    return fromHash;
  }
  const stored = window.sessionStorage.getItem(SECTION_KEY + casePath);
  return WORKSPACE_SECTIONS.find((s) => s.id === stored)?.id ?? null;
}

/** Until a section is chosen: the timeline once the case has events, else the first. */
function defaultSection(summary: CaseSummary): string {
  return summary.counts.events > 0 ? 'timeline' : (WORKSPACE_SECTIONS[0]?.id ?? 'overview');
}

/** The open case: section navigation on the left, the selected section on the right. */
export function Workspace({ summary }: Readonly<{ summary: CaseSummary }>) {
  const [chosen, setChosen] = useState(() => chosenSection(summary.path));
  const selected = chosen ?? defaultSection(summary);
  // ingest progress and completion are followed whichever section is shown
  useIngestEvents(summary.path);

  function setSelected(id: string): void {
    setChosen(id);
    window.sessionStorage.setItem(SECTION_KEY + summary.path, id);
  }
  // a link from one section to another (`openPivot`, "show in the timeline") sets the address
  useEffect(() => {
    function onHashChange(): void {
      const id = sectionOfHash(window.location.hash);
      if (id !== null) {
        setChosen(id);
        window.sessionStorage.setItem(SECTION_KEY + summary.path, id);
      }
    }
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [summary.path]);
  const section = WORKSPACE_SECTIONS.find((s) => s.id === selected) ?? WORKSPACE_SECTIONS[0];
  const groups = [...new Set(WORKSPACE_SECTIONS.map((s) => s.group))];

  return (
    <div className="dossier-workspace" data-testid="workspace">
      <nav className="dossier-nav" aria-label="Case sections">
        {groups.map((group) => (
          <div key={group} className="dossier-nav-group">
            <div className={`dossier-nav-heading ${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>{group}</div>
            <ul className="dossier-nav-list">
              {WORKSPACE_SECTIONS.filter((s) => s.group === group).map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className={s.id === selected ? 'dossier-nav-item dossier-nav-item-active' : 'dossier-nav-item'}
                    aria-current={s.id === selected ? 'page' : undefined}
                    onClick={() => setSelected(s.id)}
                  >
                    <Icon icon={s.icon} size={14} />
                    <span>{s.label}</span>
                    {s.Badge !== undefined ? <s.Badge summary={summary} /> : null}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main className="dossier-section" aria-label={section?.label}>
        {section === undefined ? (
          <NonIdealState title="Nothing to show" />
        ) : (
          <Suspense fallback={<Spinner className="dossier-section-spinner" />}>
            <section.Panel summary={summary} onNavigate={setSelected} />
          </Suspense>
        )}
      </main>
    </div>
  );
}
