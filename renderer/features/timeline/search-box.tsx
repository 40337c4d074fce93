import { Button, Classes, InputGroup, Tag, Tooltip } from '@blueprintjs/core';
import { useState, type KeyboardEvent } from 'react';

type Props = Readonly<{
  /** The search in force (the filter's text). */
  value: string;
  onSearch: (text: string) => void;
  /** The full-text index is still being built: results may be incomplete. */
  indexBuilding: boolean;
  /** The back end refused the search (bad syntax): shown inline under the box. */
  error: string | null;
}>;

const SYNTAX_HINT = (
  <div className="dossier-tl-syntax">
    <div>
      <b>Full-text search</b> over messages (Enter to search, Esc to undo)
    </div>
    <div>
      <code>sshd root</code> both words
    </div>
    <div>
      <code>"Failed password"</code> a phrase
    </div>
    <div>
      <code>admin*</code> a prefix
    </div>
    <div>
      <code>root OR admin</code>, <code>sshd NOT cron</code>, <code>(a OR b) AND c</code>
    </div>
  </div>
);

/** The search box: FTS syntax in a tooltip, "index building" while the index is incomplete, errors inline. */
export function SearchBox({ value, onSearch, indexBuilding, error }: Props) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  // a view opened or a chip removed elsewhere: the box shows the search in force
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      onSearch(draft.trim());
    } else if (e.key === 'Escape') {
      setDraft(value);
    }
  }

  return (
    <div className="dossier-tl-search">
      <InputGroup
        type="search"
        leftIcon="search"
        size="small"
        placeholder='Search messages: words, "phrases", prefix*, AND / OR / NOT'
        aria-label="Search events"
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'timeline-search-error' : undefined}
        intent={error !== null ? 'danger' : 'none'}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="timeline-search"
        rightElement={
          <span className="dossier-tl-search-right">
            {indexBuilding ? (
              <Tooltip content="The full-text index is still being built: search results may be incomplete." placement="bottom" compact>
                <Tag minimal intent="warning" icon="build" data-testid="index-building">
                  index building
                </Tag>
              </Tooltip>
            ) : null}
            <Tooltip content={SYNTAX_HINT} placement="bottom-end">
              <Button variant="minimal" size="small" icon="help" aria-label="Search syntax" />
            </Tooltip>
          </span>
        }
      />
      {error !== null ? (
        <div id="timeline-search-error" role="alert" className={`dossier-tl-search-error ${Classes.INTENT_DANGER}`} data-testid="search-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
