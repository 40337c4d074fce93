import './findings.css';
import {
  Button,
  ButtonGroup,
  Callout,
  Classes,
  Dialog,
  DialogBody,
  DialogFooter,
  FormGroup,
  HTMLSelect,
  HTMLTable,
  NonIdealState,
  NumericInput,
  Section,
  SectionCard,
  Spinner,
  Tag,
  TextArea,
} from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import type { FindingListItem } from '../../../shared/api/methods/findings';
import type { DetectorParams, FindingCategory, FindingReview, FindingSeverity } from '../../../shared/domain/findings';
import { ErrorCallout } from '../../components/error-callout';
import { formatInZone } from '../../components/format-time';
import { useHashNumber } from '../../app/use-hash-param';
import { AddToHypothesis } from '../hypotheses/add-to-hypothesis';
import { openPivot } from '../pivot/open-pivot';
import { hashForState } from '../timeline/view-state';
import type { SectionProps } from '../workspace/sections';
import { CATEGORY_LABEL, groupByCategory, REVIEW_LABEL, SEVERITY_ORDER, severityIntent, shortList } from './findings-model';
import { useFinding, useFindings, useReview, useRules, useRunDetectors } from './use-findings';

const when = (ms: number | null, zone: string): string => (ms === null ? '—' : formatInZone(new Date(ms).toISOString(), zone));

function SeverityTag({ severity }: Readonly<{ severity: FindingSeverity }>) {
  return (
    <Tag intent={severityIntent(severity)} minimal={severity !== 'critical'} className="dossier-finding-sev" data-severity={severity}>
      {severity}
    </Tag>
  );
}

function ReviewTag({ review }: Readonly<{ review: FindingReview }>) {
  if (review === 'unreviewed') {
    return null;
  }
  return (
    <Tag minimal intent={review === 'confirmed' ? 'danger' : 'success'} icon={review === 'confirmed' ? 'endorsed' : 'disable'} data-testid="finding-review-tag">
      {REVIEW_LABEL[review]}
    </Tag>
  );
}

function FindingRow(props: Readonly<{ f: FindingListItem; zone: string; selected: boolean; onOpen: () => void }>) {
  const { f } = props;
  return (
    <tr
      className={props.selected ? 'dossier-finding-row is-selected' : 'dossier-finding-row'}
      data-testid="finding-row"
      data-rule={f.rule}
      data-severity={f.severity}
      onClick={props.onOpen}
      tabIndex={0}
      onKeyDown={(e) => (e.key === 'Enter' ? props.onOpen() : undefined)}
    >
      <td><SeverityTag severity={f.severity} /></td>
      <td>
        <div className="dossier-finding-title">{f.title}</div>
        <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL} dossier-mono`}>{f.rule}</div>
      </td>
      <td className="dossier-num">{f.count.toLocaleString('en-US')}</td>
      <td className="dossier-mono dossier-nowrap">
        {when(f.first, props.zone)}
        <br />
        {when(f.last, props.zone)}
      </td>
      <td className="dossier-mono">{shortList(f.srcIps)}</td>
      <td className="dossier-mono">{shortList(f.users)}</td>
      <td><ReviewTag review={f.review} /></td>
    </tr>
  );
}

function ReviewForm(props: Readonly<{ casePath: string; f: FindingListItem }>) {
  const review = useReview(props.casePath);
  const [comment, setComment] = useState(props.f.reviewComment);
  const submit = (r: FindingReview): void => review.mutate({ id: props.f.id, review: r, comment });
  return (
    <div className="dossier-finding-review" data-testid="finding-review">
      <TextArea fill rows={2} placeholder="Comment (why it is confirmed or a false positive)" value={comment} onChange={(e) => setComment(e.target.value)} aria-label="Review comment" />
      <ButtonGroup>
        <Button icon="endorsed" intent="danger" text="Confirmed" active={props.f.review === 'confirmed'} loading={review.isPending} onClick={() => submit('confirmed')} data-testid="review-confirmed" />
        <Button icon="disable" text="False positive" active={props.f.review === 'false_positive'} loading={review.isPending} onClick={() => submit('false_positive')} data-testid="review-false-positive" />
        {props.f.review !== 'unreviewed' ? <Button icon="undo" variant="minimal" text="Clear" onClick={() => submit('unreviewed')} /> : null}
      </ButtonGroup>
      {review.error !== null ? <ErrorCallout error={review.error} title="The review was not saved" /> : null}
    </div>
  );
}

const PIVOT_LIST_MAX = 20;

/** Addresses or users of a finding, each a link to its pivot page (every source on one page). */
function PivotList(props: Readonly<{ kind: 'ip' | 'user'; values: ReadonlyArray<string> }>) {
  if (props.values.length === 0) {
    return <>—</>;
  }
  const shown = props.values.slice(0, PIVOT_LIST_MAX);
  return (
    <>
      {shown.map((v, i) => (
        <span key={v}>
          {i > 0 ? ', ' : null}
          <button type="button" className="dossier-md-link" title={`Pivot on ${v}: every source on one page`} onClick={() => openPivot(props.kind, v)} data-testid={`finding-pivot-${props.kind}`}>
            {v}
          </button>
        </span>
      ))}
      {props.values.length > shown.length ? ` and ${(props.values.length - shown.length).toLocaleString('en-US')} more` : null}
    </>
  );
}

function FindingDetail(props: Readonly<{ casePath: string; id: number; zone: string; onShowEvents: (id: number) => void }>) {
  const q = useFinding(props.casePath, props.id);
  if (q.isPending) {
    return <Spinner size={24} />;
  }
  if (q.error !== null) {
    return <ErrorCallout error={q.error} title="The finding could not be read" />;
  }
  const { finding: f, events, total } = q.data;
  return (
    <div className="dossier-finding-detail" data-testid="finding-detail" data-finding-id={f.id}>
      <h3 className="dossier-finding-detail-title">
        <SeverityTag severity={f.severity} /> {f.title} <ReviewTag review={f.review} />
      </h3>
      <p>{f.description}</p>
      <dl className="dossier-fields">
        <dt>Rule</dt>
        <dd className="dossier-mono">{f.rule}</dd>
        <dt>Time</dt>
        <dd className="dossier-mono">
          {when(f.first, props.zone)} → {when(f.last, props.zone)}
        </dd>
        <dt>Events</dt>
        <dd>{f.count.toLocaleString('en-US')}</dd>
        <dt>Addresses</dt>
        <dd className="dossier-mono dossier-break">
          <PivotList kind="ip" values={f.srcIps} />
        </dd>
        <dt>Users</dt>
        <dd className="dossier-mono dossier-break">
          <PivotList kind="user" values={f.users} />
        </dd>
      </dl>
      {f.evidence.length > 0 ? (
        <div className="dossier-finding-evidence">
          <div className={Classes.TEXT_MUTED}>What matched</div>
          {f.evidence.map((e, i) => (
            <pre key={i} className="dossier-mono">
              {e}
            </pre>
          ))}
        </div>
      ) : null}
      <div className="dossier-finding-actions">
        <Button icon="timeline-events" intent="primary" text={`Show ${total.toLocaleString('en-US')} events in the timeline`} onClick={() => props.onShowEvents(f.id)} data-testid="finding-show-events" />
        <AddToHypothesis targetKind="finding" targetId={String(f.id)} label={`${f.severity} · ${f.title}`} />
      </div>
      <ReviewForm key={`${f.id}:${f.review}`} casePath={props.casePath} f={f} />
      <HTMLTable compact striped className="dossier-finding-events" data-testid="finding-events">
        <thead>
          <tr>
            <th>Time / source</th>
            <th>Line</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="dossier-mono">
                {when(e.ts, props.zone)}
                <div className="dossier-finding-source">
                  {e.evidencePath}:{e.lineNo}
                </div>
              </td>
              <td className="dossier-mono">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      {total > events.length ? <div className={Classes.TEXT_MUTED}>First {events.length} of {total.toLocaleString('en-US')}: the timeline shows them all.</div> : null}
    </div>
  );
}

const PARAM_LABELS: ReadonlyArray<[keyof DetectorParams, string]> = [
  ['sshWindowMinutes', 'SSH window (minutes)'],
  ['sshBruteForceFailures', 'SSH failures per window for brute force'],
  ['sshSprayUsers', 'Accounts per IP for password spraying'],
  ['sshSuccessAfterFailures', 'Failures before a success = compromise'],
  ['sshSuccessLookbackMinutes', 'Look-back before a success (minutes)'],
  ['ipRequestsPerMinute', 'Requests per minute from one IP = flood'],
  ['subnetRequestsPerMinute', 'Requests per minute from one /24 = flood'],
  ['segfaultsPerMinute', 'Segfaults per minute = storm'],
  ['restartCount', 'Restarts within the window = loop'],
  ['restartWindowMinutes', 'Restart window (minutes)'],
  ['postBurstCount', 'POSTs to one URL within the window = burst'],
  ['postBurstWindowSeconds', 'POST burst window (seconds)'],
  ['returnAfterBanMinutes', 'Activity after an unban (minutes)'],
  ['sudoRareMax', 'sudo uses at most = unusual user'],
  ['webMaxFindingsPerRule', 'Web findings per rule before merging'],
];

function RunDialog(props: Readonly<{ casePath: string; isOpen: boolean; onClose: () => void }>) {
  const rules = useRules(props.casePath);
  const run = useRunDetectors(props.casePath);
  const [edits, setEdits] = useState<Partial<DetectorParams>>({});
  const current = rules.data?.params;
  return (
    <Dialog isOpen={props.isOpen} onClose={props.onClose} title="Re-run the detectors" icon="play">
      <DialogBody>
        {current === undefined ? (
          <Spinner size={24} />
        ) : (
          <div className="dossier-finding-params">
            {PARAM_LABELS.map(([key, label]) => (
              <FormGroup key={key} label={label} inline>
                <NumericInput size="small" min={0} value={edits[key] ?? current[key]} onValueChange={(v) => setEdits((e) => ({ ...e, [key]: v }))} />
              </FormGroup>
            ))}
            <p className={Classes.TEXT_MUTED}>{rules.data?.rules.length ?? 0} web rules from resources/rules/web.yaml. Reviews are kept across runs.</p>
          </div>
        )}
        {run.error !== null ? <ErrorCallout error={run.error} title="The detectors did not run" /> : null}
        {run.data !== undefined ? (
          <Callout intent="success" compact>
            {run.data.findings} findings in {run.data.ms} ms. {run.data.notes.join(' ')}
          </Callout>
        ) : null}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button text="Defaults" onClick={() => setEdits(rules.data?.defaults ?? {})} />
            <Button intent="primary" icon="play" text="Run" loading={run.isPending} onClick={() => run.mutate({ ...(current ?? {}), ...edits })} data-testid="findings-run" />
          </>
        }
      />
    </Dialog>
  );
}

/** The Findings section: detector results grouped by category and severity, each traceable to its events. */
export function FindingsPanel({ summary, onNavigate }: SectionProps) {
  const casePath = summary.path;
  const zone = summary.timeZone;
  const list = useFindings(casePath);
  const [selected, setSelected] = useState<number | null>(null);
  // a jump to `#/findings?id=N` (an evidence link, a note) opens that finding
  const jumpedTo = useHashNumber('id');
  const [followedJump, setFollowedJump] = useState<number | null>(null);
  if (jumpedTo !== followedJump) {
    setFollowedJump(jumpedTo);
    if (jumpedTo !== null) {
      setSelected(jumpedTo);
    }
  }
  const [minSeverity, setMinSeverity] = useState<FindingSeverity>('info');
  const [review, setReview] = useState<FindingReview | 'all'>('all');
  const [category, setCategory] = useState<FindingCategory | 'all'>('all');
  const [running, setRunning] = useState(false);

  const findings = list.data?.findings;
  const shown = useMemo(
    () =>
      (findings ?? []).filter(
        (f) =>
          SEVERITY_ORDER.indexOf(f.severity) <= SEVERITY_ORDER.indexOf(minSeverity) && (review === 'all' || f.review === review) && (category === 'all' || f.category === category),
      ),
    [findings, minSeverity, review, category],
  );
  const counts = useMemo(() => SEVERITY_ORDER.map((s) => [s, (findings ?? []).filter((f) => f.severity === s).length] as const), [findings]);

  const showEvents = (id: number): void => {
    window.location.hash = hashForState({ filter: { findingId: id }, zone: 'case', groupBy: 'sourceKind' });
    onNavigate('timeline');
  };

  if (list.isPending) {
    return <Spinner className="dossier-section-spinner" />;
  }
  if (list.error !== null) {
    return <ErrorCallout error={list.error} title="The findings could not be read" />;
  }
  const run = list.data.run;
  return (
    <div className="dossier-panel dossier-findings" data-testid="findings">
      <Section
        compact
        icon="warning-sign"
        title="Findings"
        subtitle={run === null ? 'The detectors have not run on this case yet.' : `Detectors ran ${formatInZone(run.finishedUtc ?? run.startedUtc, zone)}`}
        rightElement={<Button size="small" icon="play" text="Re-run…" onClick={() => setRunning(true)} data-testid="findings-open-run" />}
      >
        <SectionCard className="dossier-findings-toolbar">
          <div className="dossier-findings-counts" data-testid="findings-counts">
            {counts.map(([s, n]) => (
              <Tag key={s} intent={severityIntent(s)} minimal={s !== 'critical'} interactive onClick={() => setMinSeverity(s)} data-count={n} data-severity={s}>
                {s}: {n}
              </Tag>
            ))}
          </div>
          <HTMLSelect value={minSeverity} onChange={(e) => setMinSeverity(e.target.value as FindingSeverity)} aria-label="Minimum severity">
            {SEVERITY_ORDER.map((s) => (
              <option key={s} value={s}>
                {s === 'info' ? 'All severities' : `${s} and above`}
              </option>
            ))}
          </HTMLSelect>
          <HTMLSelect value={category} onChange={(e) => setCategory(e.target.value as FindingCategory | 'all')} aria-label="Category">
            <option value="all">All categories</option>
            {Object.entries(CATEGORY_LABEL).map(([c, l]) => (
              <option key={c} value={c}>
                {l}
              </option>
            ))}
          </HTMLSelect>
          <HTMLSelect value={review} onChange={(e) => setReview(e.target.value as FindingReview | 'all')} aria-label="Review">
            <option value="all">Any review</option>
            {Object.entries(REVIEW_LABEL).map(([r, l]) => (
              <option key={r} value={r}>
                {l}
              </option>
            ))}
          </HTMLSelect>
        </SectionCard>
      </Section>
      <div className="dossier-findings-body">
        <div className="dossier-findings-list">
          {shown.length === 0 ? (
            <NonIdealState icon="tick-circle" title="No findings" description={(findings ?? []).length > 0 ? 'None match these filters.' : 'Nothing the detectors look for was found.'} />
          ) : (
            groupByCategory(shown).map(([cat, items]) => (
              <Section key={cat} compact collapsible title={`${CATEGORY_LABEL[cat]} (${items.length})`} data-testid="findings-group" data-category={cat}>
                <HTMLTable compact interactive className="dossier-findings-table">
                  <thead>
                    <tr>
                      <th>Severity</th>
                      <th>Finding</th>
                      <th className="dossier-num">Events</th>
                      <th>First / last</th>
                      <th>Addresses</th>
                      <th>Users</th>
                      <th>Review</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((f) => (
                      <FindingRow key={f.id} f={f} zone={zone} selected={f.id === selected} onOpen={() => setSelected(f.id)} />
                    ))}
                  </tbody>
                </HTMLTable>
              </Section>
            ))
          )}
        </div>
        <aside className="dossier-findings-side" aria-label="Finding">
          {selected === null ? (
            <NonIdealState icon="select" title="Open a finding" description="Its description, what matched, its events, and the review." />
          ) : (
            <FindingDetail casePath={casePath} id={selected} zone={zone} onShowEvents={showEvents} />
          )}
        </aside>
      </div>
      <RunDialog casePath={casePath} isOpen={running} onClose={() => setRunning(false)} />
    </div>
  );
}
