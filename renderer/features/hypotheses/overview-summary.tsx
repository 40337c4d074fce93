import { Button, Classes, HTMLTable, Section, SectionCard, Spinner } from '@blueprintjs/core';
import { navigateTo, navigateToSection } from '../../app/navigation';
import { ErrorCallout } from '../../components/error-callout';
import { formatInZone } from '../../components/format-time';
import { HypothesisCounts, StatusTag } from './hypothesis-tags';
import { useHypotheses, useNotes } from './use-hypotheses';

/** The overview's hypotheses: status, prediction results and evidence counts, each a link to its detail. */
export function HypothesesOverview() {
  const hypotheses = useHypotheses();
  const list = hypotheses.data ?? [];
  return (
    <Section
      compact
      title="Hypotheses"
      icon="lab-test"
      rightElement={<Button size="small" variant="minimal" intent="primary" endIcon="arrow-right" text="Open hypotheses" onClick={() => navigateToSection('hypotheses')} />}
    >
      <SectionCard>
        {hypotheses.isPending ? <Spinner size={16} /> : null}
        {hypotheses.isError ? <ErrorCallout error={hypotheses.error} /> : null}
        {hypotheses.isSuccess && list.length === 0 ? <span className={Classes.TEXT_MUTED}>No hypotheses yet.</span> : null}
        {list.length > 0 ? (
          <HTMLTable compact className="dossier-overview-table" data-testid="overview-hypotheses">
            <tbody>
              {list.map((h) => (
                <tr key={h.id} data-testid="overview-hypothesis">
                  <td>
                    <StatusTag status={h.status} />
                  </td>
                  <td>
                    <button type="button" className="dossier-md-link" onClick={() => navigateTo({ kind: 'hypothesis', id: h.id })}>
                      #{h.id} {h.statement}
                    </button>
                  </td>
                  <td className="dossier-nowrap">{h.confidence}%</td>
                  <td>
                    <HypothesisCounts h={h} />
                  </td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        ) : null}
      </SectionCard>
    </Section>
  );
}

/** The overview's notes: title, folder, author and last change. */
export function NotesOverview({ zone }: Readonly<{ zone: string }>) {
  const notes = useNotes();
  const list = notes.data ?? [];
  return (
    <Section
      compact
      title="Notes"
      icon="manual"
      rightElement={<Button size="small" variant="minimal" intent="primary" endIcon="arrow-right" text="Open notes" onClick={() => navigateToSection('notes')} />}
    >
      <SectionCard>
        {notes.isPending ? <Spinner size={16} /> : null}
        {notes.isError ? <ErrorCallout error={notes.error} /> : null}
        {notes.isSuccess && list.length === 0 ? <span className={Classes.TEXT_MUTED}>No notes yet.</span> : null}
        {list.length > 0 ? (
          <HTMLTable compact className="dossier-overview-table" data-testid="overview-notes">
            <tbody>
              {list.map((n) => (
                <tr key={n.id} data-testid="overview-note">
                  <td>
                    <button type="button" className="dossier-md-link" onClick={() => navigateTo({ kind: 'note', id: n.id })}>
                      {n.title}
                    </button>
                  </td>
                  <td className={Classes.TEXT_MUTED}>{n.folder}</td>
                  <td className={Classes.TEXT_MUTED}>{n.author}</td>
                  <td className={`${Classes.TEXT_MUTED} dossier-nowrap`}>{formatInZone(n.updatedUtc, zone)}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        ) : null}
      </SectionCard>
    </Section>
  );
}
