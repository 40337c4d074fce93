import { Field } from '../../components/field';
import { SafeMarkdown } from '../../components/safe-markdown';
import { Button, ButtonGroup, Callout, Classes, Icon, InputGroup, NonIdealState, Spinner, Tag, TextArea, Tooltip } from '@blueprintjs/core';
import { useId, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { EventDetail as EventDetailData, Tag as TagData } from '../../../shared/domain/timeline';
import { errorMessage } from '../../api/api-error';
import { toastError } from '../../app/toaster';
import { ErrorCallout } from '../../components/error-callout';
import { openPivot } from '../pivot/open-pivot';
import { copyText } from './clipboard';
import { useCommentEvent, useEventContext, useEventDetail, useStarEvents, useTagEvents } from './use-timeline-data';
import { formatEventTime, formatOffset, formatUtcIso } from './zoned-time';
import { AddToHypothesis } from '../hypotheses/add-to-hypothesis';
import { eventLabel } from '../hypotheses/labels';

export type PivotField = 'srcIps' | 'users' | 'pids' | 'hosts';

type Props = Readonly<{
  casePath: string;
  id: number;
  zone: string;
  allTags: ReadonlyArray<TagData>;
  onClose: () => void;
  /** Another event (a line of the context) becomes the one shown. */
  onOpenEvent: (id: number) => void;
  /** Adds a filter chip for a value of this event. */
  onPivot: (field: PivotField, value: string | number) => void;
}>;

/** A small palette for new tags (hex, as `events.tag` wants). */
export const TAG_PALETTE: ReadonlyArray<Readonly<{ name: string; color: string }>> = [
  { name: 'red', color: '#cd4246' },
  { name: 'orange', color: '#c87619' },
  { name: 'gold', color: '#d1980b' },
  { name: 'green', color: '#238551' },
  { name: 'teal', color: '#00a396' },
  { name: 'blue', color: '#2d72d2' },
  { name: 'violet', color: '#7961db' },
  { name: 'grey', color: '#5f6b7c' },
];

const MARKDOWN_NOTE = 'Comments are Markdown (emphasis, lists, code). HTML in them is never rendered, images are never loaded and links are shown as text.';

function None() {
  return <span className={Classes.TEXT_DISABLED}>—</span>;
}

function Block(props: Readonly<{ title: string; icon: Parameters<typeof Icon>[0]['icon']; right?: ReactNode; children: ReactNode; testId?: string }>) {
  return (
    <section className="dossier-tl-block" data-testid={props.testId} aria-label={props.title}>
      <header className="dossier-tl-block-head">
        <Icon icon={props.icon} size={12} className={Classes.TEXT_MUTED} />
        <span className="dossier-tl-block-title">{props.title}</span>
        <span className="dossier-grow" />
        {props.right}
      </header>
      {props.children}
    </section>
  );
}

function formatClockOffset(ms: number): string {
  if (ms === 0) {
    return 'none';
  }
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = (abs % 60_000) / 1000;
  return `${sign}${h > 0 ? `${h} h ` : ''}${m > 0 ? `${m} min ` : ''}${s > 0 ? `${s} s` : ''}`.trim();
}

function fieldValue(value: string | number | boolean | null): ReactNode {
  if (value === null || value === '') {
    return <None />;
  }
  return typeof value === 'string' ? value : String(value);
}

function TagsEditor({ casePath, detail, allTags }: Readonly<{ casePath: string; detail: EventDetailData; allTags: ReadonlyArray<TagData> }>) {
  const listId = useId();
  const tag = useTagEvents(casePath);
  const [name, setName] = useState('');
  const [color, setColor] = useState(TAG_PALETTE[0]?.color ?? '#cd4246');
  const existing = allTags.find((t) => t.name === name.trim());

  function add(e: FormEvent): void {
    e.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      return;
    }
    tag.mutate({ ids: [detail.row.id], tag: trimmed, color: existing === undefined ? color : undefined, on: true }, { onSuccess: () => setName('') });
  }

  return (
    <div className="dossier-tl-tags" data-testid="detail-tags">
      <div className="dossier-tl-tag-list">
        {detail.tags.length === 0 ? <span className={Classes.TEXT_MUTED}>No tags</span> : null}
        {detail.tags.map((t) => (
          <Tag
            key={t.id}
            round
            style={{ backgroundColor: t.color }}
            className="dossier-tl-tag"
            data-testid="event-tag"
            onRemove={() => tag.mutate({ ids: [detail.row.id], tag: t.name, on: false })}
            aria-label={`Tag ${t.name}`}
          >
            {t.name}
          </Tag>
        ))}
      </div>
      <form className="dossier-tl-tag-form" onSubmit={add} aria-label="Add a tag">
        <InputGroup size="small" placeholder="Tag name" aria-label="Tag name" value={name} maxLength={64} list={listId} onChange={(e) => setName(e.target.value)} />
        <datalist id={listId}>
          {allTags.map((t) => (
            <option key={t.id} value={t.name} />
          ))}
        </datalist>
        <span className="dossier-tl-palette" role="radiogroup" aria-label="Tag colour">
          {TAG_PALETTE.map((p) => (
            <button
              key={p.color}
              type="button"
              role="radio"
              aria-checked={(existing?.color ?? color) === p.color}
              aria-label={`Colour ${p.name}`}
              title={existing !== undefined ? 'The tag exists: it keeps its colour' : p.name}
              disabled={existing !== undefined}
              className="dossier-tl-swatch"
              style={{ backgroundColor: p.color }}
              onClick={() => setColor(p.color)}
            />
          ))}
        </span>
        <Button size="small" type="submit" icon="tag" text="Add tag" loading={tag.isPending} disabled={name.trim() === ''} />
      </form>
      <ErrorCallout error={tag.error} title="The tag was not changed" />
    </div>
  );
}

function Comments({ casePath, detail, zone }: Readonly<{ casePath: string; detail: EventDetailData; zone: string }>) {
  const comment = useCommentEvent(casePath);
  const [body, setBody] = useState('');

  function add(e: FormEvent): void {
    e.preventDefault();
    if (body.trim() === '') {
      return;
    }
    comment.mutate({ id: detail.row.id, body }, { onSuccess: () => setBody('') });
  }

  return (
    <div className="dossier-tl-comments-block">
      {detail.comments.length === 0 ? <div className={Classes.TEXT_MUTED}>No comments yet.</div> : null}
      <ol className="dossier-tl-comment-list">
        {detail.comments.map((c) => (
          <li key={c.id} className="dossier-tl-comment" data-testid="event-comment">
            <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>
              {c.author === '' ? 'unknown' : c.author} · {formatEventTime(Date.parse(c.createdUtc), zone).slice(0, 19)}
            </div>
            <div className="dossier-tl-comment-body" data-testid="comment-body">
              <SafeMarkdown text={c.body} />
            </div>
          </li>
        ))}
      </ol>
      <form onSubmit={add} aria-label="Add a comment" className="dossier-tl-comment-form">
        <TextArea fill rows={3} placeholder="Comment (Markdown, shown as plain text)" aria-label="Comment" value={body} maxLength={20_000} onChange={(e) => setBody(e.target.value)} />
        <Button size="small" type="submit" icon="comment" text="Add comment" loading={comment.isPending} disabled={body.trim() === ''} />
      </form>
      <ErrorCallout error={comment.error} title="The comment was not added" />
    </div>
  );
}

function ContextView({ casePath, id, onOpenEvent }: Readonly<{ casePath: string; id: number; onOpenEvent: (id: number) => void }>) {
  const context = useEventContext(casePath, id);
  const listRef = useRef<HTMLOListElement | null>(null);
  // the event's own line in the middle of the list
  useLayoutEffect(() => {
    const list = listRef.current;
    const current = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (list !== null && list !== undefined && current !== null && current !== undefined) {
      list.scrollTop = current.offsetTop - (list.clientHeight - current.offsetHeight) / 2;
    }
  }, [context.data]);
  if (context.isPending) {
    return <Spinner size={16} />;
  }
  if (context.isError) {
    return <ErrorCallout error={context.error} title="The lines around it could not be read" />;
  }
  return (
    <ol ref={listRef} className="dossier-tl-context" aria-label={`Lines around it in ${context.data.evidencePath}`} data-testid="event-context">
      {context.data.lines.map((l) => {
        const current = l.eventId === id;
        const openable = l.eventId !== null && !current;
        return (
          <li
            key={l.lineNo}
            className={`dossier-tl-context-line${current ? ' dossier-tl-context-current' : ''}${openable ? ' dossier-tl-context-open' : ''}`}
            aria-current={current ? 'true' : undefined}
            data-testid="context-line"
            data-line={l.lineNo}
          >
            <span className="dossier-tl-context-no">{l.lineNo}</span>
            {openable ? (
              <button type="button" className="dossier-tl-context-text" title="Open this line's event" onClick={() => l.eventId !== null && onOpenEvent(l.eventId)}>
                {l.text}
              </button>
            ) : (
              <span className="dossier-tl-context-text">{l.text}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** One event in full: its raw line, every parsed field, where it came from, its context, tags, star and comments. */
export function EventDetail({ casePath, id, zone, allTags, onClose, onOpenEvent, onPivot }: Props) {
  const detail = useEventDetail(casePath, id);
  const star = useStarEvents(casePath);
  // once shown, the context stays open while moving from event to event
  const [showContext, setShowContext] = useState(false);
  const d = detail.data;

  if (d === undefined) {
    return (
      <div className="dossier-tl-detail" data-testid="event-detail">
        {detail.isError ? <NonIdealState icon="error" title="The event could not be read" description={errorMessage(detail.error)} /> : <Spinner size={24} />}
      </div>
    );
  }
  const row = d.row;
  const p = d.provenance;
  const rawText = d.raw === null ? null : d.raw.validUtf8 ? d.raw.text : d.raw.escaped;
  const pivots: Array<{ field: PivotField; kind: 'ip' | 'user' | 'pid' | 'host'; label: string; value: string | number | null }> = [
    { field: 'srcIps', kind: 'ip', label: 'IP', value: row.srcIp },
    { field: 'users', kind: 'user', label: 'user', value: row.user },
    { field: 'pids', kind: 'pid', label: 'PID', value: row.pid },
    { field: 'hosts', kind: 'host', label: 'host', value: row.host },
  ];

  return (
    <div className="dossier-tl-detail" data-testid="event-detail" data-event-id={row.id} aria-busy={detail.isFetching}>
      <header className="dossier-tl-detail-head">
        <div className="dossier-tl-detail-title">
          <span className="dossier-tl-detail-time" data-testid="detail-time">
            {formatEventTime(row.ts, zone)}
          </span>
          <span className={Classes.TEXT_MUTED}> {zone}</span>
          <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL} dossier-mono`} data-testid="detail-utc">
            {row.ts === null ? 'no time' : `${formatUtcIso(row.ts)} UTC`} · #{row.id}
          </div>
        </div>
        <Tooltip content={row.starred ? 'Unstar' : 'Star'} placement="bottom" compact>
          <Button
            variant="minimal"
            icon={row.starred ? 'star' : 'star-empty'}
            intent={row.starred ? 'warning' : 'none'}
            aria-label={row.starred ? 'Unstar' : 'Star'}
            aria-pressed={row.starred}
            loading={star.isPending}
            onClick={() => star.mutate({ ids: [row.id], on: !row.starred }, { onError: (e) => void toastError(e, 'The star was not changed') })}
          />
        </Tooltip>
        <Button variant="minimal" icon="cross" aria-label="Close detail" onClick={onClose} />
      </header>
      <div className="dossier-tl-detail-body">
        <div className="dossier-tl-pivots" aria-label="Filter on this event's values">
          {pivots
            .filter((x) => x.value !== null && x.value !== '')
            .map((x) => (
              <ButtonGroup key={x.field} size="small">
                <Button icon="filter" onClick={() => x.value !== null && onPivot(x.field, x.value)} title={`Add a filter: ${x.label} = ${String(x.value)}`}>
                  {x.label} <span className="dossier-mono">{String(x.value)}</span>
                </Button>
                <Tooltip content={`Pivot: everything about this ${x.label}`} placement="bottom" compact>
                  <Button icon="search-around" aria-label={`Pivot on ${x.label} ${String(x.value)}`} data-testid={`pivot-${x.kind}`} onClick={() => x.value !== null && openPivot(x.kind, x.value)} />
                </Tooltip>
              </ButtonGroup>
            ))}
          <AddToHypothesis targetKind="event" targetId={String(row.id)} label={eventLabel(row.ts, row.message, zone)} size="small" intent="primary" variant="outlined" />
        </div>

        <Block
          title="Raw line"
          icon="align-left"
          testId="detail-raw"
          right={rawText === null ? undefined : <Button size="small" variant="minimal" icon="duplicate" aria-label="Copy the raw line" onClick={() => void copyText(rawText)} />}
        >
          {d.raw !== null && !d.raw.validUtf8 ? (
            <Callout compact intent="warning" className="dossier-tl-note">
              Not valid UTF-8: bytes shown as \xNN escapes.
            </Callout>
          ) : null}
          {rawText === null ? <div className={Classes.TEXT_MUTED}>The raw line is not available.</div> : <pre className="dossier-tl-raw" data-testid="raw-line">{rawText}</pre>}
        </Block>

        <Block
          title="Context"
          icon="list-detail-view"
          right={
            <Button size="small" variant="minimal" icon={showContext ? 'chevron-up' : 'chevron-down'} text={showContext ? 'Hide context' : 'Show in context'} onClick={() => setShowContext(!showContext)} />
          }
        >
          {showContext ? <ContextView casePath={casePath} id={id} onOpenEvent={onOpenEvent} /> : null}
        </Block>

        <Block title="Tags" icon="tag">
          <TagsEditor casePath={casePath} detail={d} allTags={allTags} />
        </Block>

        <Block title="Fields" icon="th-list" testId="detail-fields">
          <table className="dossier-tl-fields">
            <tbody>
              {Object.entries(d.fields).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{fieldValue(v)}</td>
                </tr>
              ))}
              {Object.keys(d.fields).length === 0 ? (
                <tr>
                  <td className={Classes.TEXT_MUTED}>No parsed fields (the line is kept as raw text).</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </Block>

        <Block title="Provenance" icon="endorsed" testId="detail-provenance">
          <dl className="dossier-fields dossier-tl-prov">
            <Field label="Evidence" testId="prov-evidence">
              <span className="dossier-mono dossier-break">{p.evidencePath}</span>
            </Field>
            <Field label="Case folder">
              <span className="dossier-mono dossier-break">{p.rootPath}</span>
            </Field>
            <Field label="Line" testId="prov-line">
              {p.lineNo.toLocaleString('en-US')}
            </Field>
            <Field label="Byte offset">{p.byteOffset.toLocaleString('en-US')}</Field>
            <Field label="SHA-256">
              {p.sha256 === null ? (
                <None />
              ) : (
                <span className="dossier-tl-hash">
                  <code className="dossier-mono dossier-break">{p.sha256}</code>
                  <Button size="small" variant="minimal" icon="duplicate" aria-label="Copy SHA-256" onClick={() => p.sha256 !== null && void copyText(p.sha256)} />
                </span>
              )}
            </Field>
            <Field label="Parser">
              <span className="dossier-mono">{p.parser}</span>
            </Field>
            <Field label="Time text">{p.timeText === null ? <None /> : <span className="dossier-mono">{p.timeText}</span>}</Field>
            <Field label="Zone">{p.timeZone ?? <None />}</Field>
            <Field label="UTC offset">{p.tzOffsetMinutes === null ? <None /> : formatOffset(p.tzOffsetMinutes)}</Field>
            <Field label="Clock offset">{formatClockOffset(p.clockOffsetMs)}</Field>
            <Field label="Year">{p.yearReason === null ? <None /> : `inferred (${p.yearReason.replace(/_/gu, ' ')})`}</Field>
            <Field label="Flags">
              {p.timeFlags.length === 0 ? (
                <None />
              ) : (
                <span className="dossier-tl-flags">
                  {p.timeFlags.map((f) => (
                    <Tag key={f} minimal>
                      {f}
                    </Tag>
                  ))}
                </span>
              )}
            </Field>
          </dl>
        </Block>

        <Block
          title="Comments"
          icon="comment"
          testId="detail-comments"
          right={
            <Tooltip content={<span className="dossier-tooltip-text">{MARKDOWN_NOTE}</span>} placement="left" compact>
              <Icon icon="info-sign" size={12} className={Classes.TEXT_MUTED} aria-label={MARKDOWN_NOTE} tabIndex={0} />
            </Tooltip>
          }
        >
          <Comments casePath={casePath} detail={d} zone={zone} />
        </Block>
      </div>
    </div>
  );
}
