import { Button, Classes, NonIdealState, Spinner, Tag, Tooltip } from '@blueprintjs/core';
import type { RecentCase } from '../../../shared/domain/case';
import { ErrorCallout } from '../../components/error-callout';
import { formatUtc } from '../../components/format-time';
import { useForgetRecent, useOpenCase, useRecentCases } from './use-cases';

function RecentRow(props: Readonly<{ item: RecentCase; onOpen: (path: string) => void; onForget: (path: string) => void; busy: boolean }>) {
  const { item } = props;
  const missing = !item.exists;
  return (
    <li className={missing ? `dossier-recent-row ${Classes.TEXT_DISABLED}` : 'dossier-recent-row'} data-testid="recent-case" data-missing={missing}>
      <div className="dossier-recent-main">
        <Button
          variant="minimal"
          className="dossier-recent-name"
          alignText="start"
          text={item.name}
          disabled={missing || props.busy}
          onClick={() => props.onOpen(item.path)}
        />
        <div className={`dossier-recent-path dossier-mono ${Classes.TEXT_SMALL}`} title={item.path}>
          {item.path}
        </div>
      </div>
      <div className="dossier-recent-meta">
        {missing ? (
          <Tag minimal intent="warning">
            file missing
          </Tag>
        ) : null}
        <span className={`${Classes.TEXT_SMALL} ${Classes.TEXT_MUTED}`} title="Last opened (UTC)">
          {formatUtc(item.openedUtc).slice(0, 16)} UTC
        </span>
        <Tooltip content="Remove from this list (the file is not touched)" placement="top">
          <Button variant="minimal" size="small" icon="cross" aria-label={`Forget ${item.name}`} onClick={() => props.onForget(item.path)} />
        </Tooltip>
      </div>
    </li>
  );
}

/** Recently opened cases, newest first. Files that have gone are greyed out and can be forgotten. */
export function RecentCases() {
  const recent = useRecentCases();
  const open = useOpenCase();
  const forget = useForgetRecent();

  if (recent.isPending) {
    return <Spinner size={20} />;
  }
  if (recent.isError) {
    return <ErrorCallout error={recent.error} title="The recent cases could not be read" />;
  }
  if (recent.data.length === 0) {
    return <NonIdealState icon="history" description="Cases you create or open appear here." className="dossier-recent-empty" />;
  }
  return (
    <div data-testid="recent-cases">
      <ul className="dossier-recent-list" aria-label="Recent cases">
        {recent.data.map((item) => (
          <RecentRow key={item.path} item={item} busy={open.isPending} onOpen={(path) => open.mutate(path)} onForget={(path) => forget.mutate(path)} />
        ))}
      </ul>
      <ErrorCallout error={open.error ?? forget.error} />
    </div>
  );
}
