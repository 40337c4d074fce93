import './ingest.css';
import { Spinner } from '@blueprintjs/core';
import type { CaseSummary } from '../../../shared/domain/case';
import { useIngestView } from './use-ingest';

/** Shown next to "Evidence" in the navigation while an ingest runs, whatever section is open. */
export function IngestNavBadge({ summary }: Readonly<{ summary: CaseSummary }>) {
  const view = useIngestView(summary.path);
  if (view.data?.running !== true) {
    return null;
  }
  const p = view.data.progress;
  const percent = p !== null && p.phase === 'reading' && p.bytesDone > 0 && p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : null;
  return (
    <span className="dossier-nav-badge" data-testid="ingest-nav-badge" title="Ingest running">
      <Spinner size={12} aria-label="Ingest running" />
      {percent !== null ? `${percent}%` : null}
    </span>
  );
}
