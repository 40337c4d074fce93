import { Button, Callout, Classes, HTMLTable, InputGroup, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { Fragment, useState, type FormEvent } from 'react';
import type { AuthSessionSummary, SessionCommand } from '../../../shared/domain/pivot';
import { ErrorCallout } from '../../components/error-callout';
import { openPivot, openTimeline } from './open-pivot';
import { addressWithPort, count, formatDuration, pivotTime } from './pivot-format';
import { useAuthSession, useAuthSessions, type SessionFilters } from './use-pivot-data';

const LINKAGE_TEXT: Readonly<Record<SessionCommand['linkage'], string>> = {
  pid: 'same process as the login',
  user_time: 'the only open session of this user at that time',
  ambiguous: 'several sessions of this user were open: the latest login was chosen',
};

function CommandRow({ c, zone }: Readonly<{ c: SessionCommand; zone: string }>) {
  return (
    <tr data-testid="session-command" data-kind={c.kind}>
      <td className="dossier-nowrap">{pivotTime(c.ts, zone)}</td>
      <td>
        <Tag minimal intent={c.kind === 'sudo' || c.kind === 'su' ? 'none' : 'warning'}>
          {c.kind.replace(/_/gu, ' ')}
        </Tag>
      </td>
      <td className="dossier-mono">{c.runAs ?? '—'}</td>
      <td className="dossier-mono dossier-break dossier-pivot-command">{c.command ?? (c.kind.startsWith('su') ? `su to ${c.runAs ?? '?'}` : '—')}</td>
      <td className="dossier-mono dossier-nowrap">{c.tty ?? '—'}</td>
      <td>
        <Tag minimal round title={LINKAGE_TEXT[c.linkage]} intent={c.linkage === 'ambiguous' ? 'warning' : 'none'}>
          {c.linkage === 'user_time' ? 'user + time' : c.linkage}
        </Tag>
      </td>
      <td>
        <Button
          size="small"
          variant="minimal"
          icon="th-list"
          aria-label="Show this line in the timeline"
          onClick={() => c.ts !== null && openTimeline({ from: c.ts, to: c.ts + 1000, ...(c.user === null ? {} : { users: [c.user] }) })}
        />
      </td>
    </tr>
  );
}

/** One session opened up: its commands, and the web requests of the same address around it. */
function SessionDetail({ casePath, session, zone }: Readonly<{ casePath: string; session: AuthSessionSummary; zone: string }>) {
  const d = useAuthSession(casePath, session.id);
  if (d.isPending) {
    return <Spinner size={20} />;
  }
  if (d.isError) {
    return <ErrorCallout error={d.error} title="The session could not be read" />;
  }
  const s = d.data;
  const lastSeen = Math.max(s.start ?? 0, s.end ?? 0, ...s.commands.map((c) => c.ts ?? 0));
  return (
    <div className="dossier-pivot-session-detail" data-testid="session-detail">
      <div className="dossier-pivot-session-actions">
        {s.srcIp !== null ? <Button size="small" icon="search-around" text={`Pivot on ${s.srcIp}`} onClick={() => s.srcIp !== null && openPivot('ip', s.srcIp)} /> : null}
        {s.user !== null ? <Button size="small" icon="search-around" text={`Pivot on user ${s.user}`} onClick={() => s.user !== null && openPivot('user', s.user)} /> : null}
        <Button
          size="small"
          icon="th-list"
          text="The session's time in the timeline"
          onClick={() => s.start !== null && openTimeline({ from: s.start, to: lastSeen + 1000, ...(s.host === null ? {} : { hosts: [s.host] }) })}
        />
        {s.failuresBefore.count > 0 && s.srcIp !== null ? (
          <Button
            size="small"
            icon="th-list"
            intent="warning"
            text={`${count(s.failuresBefore.count)} failed attempts before it`}
            onClick={() => s.srcIp !== null && openTimeline({ srcIps: [s.srcIp], kinds: ['ssh_failed'], from: s.failuresBefore.first ?? undefined, to: (s.start ?? 0) + 1 })}
          />
        ) : null}
      </div>
      <h4 className="dossier-pivot-subtitle">Commands in this session</h4>
      {s.commands.length === 0 ? (
        <div className={Classes.TEXT_MUTED}>No sudo or su line was tied to this session.</div>
      ) : (
        <HTMLTable compact className="dossier-pivot-table" data-testid="session-commands">
          <thead>
            <tr>
              <th>Time</th>
              <th>Kind</th>
              <th>As</th>
              <th>Command</th>
              <th>TTY</th>
              <th>Tied by</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {s.commands.map((c) => (
              <CommandRow key={c.eventId} c={c} zone={zone} />
            ))}
          </tbody>
        </HTMLTable>
      )}
      <h4 className="dossier-pivot-subtitle">
        Web requests from {s.srcIp ?? 'its address'} around it
        {s.web.windowFrom !== null && s.web.windowTo !== null ? (
          <span className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>
            {' '}
            ({pivotTime(s.web.windowFrom, zone)} → {pivotTime(s.web.windowTo, zone)})
          </span>
        ) : null}
      </h4>
      {s.web.count === 0 ? (
        <div className={Classes.TEXT_MUTED} data-testid="session-web-none">
          {s.srcIp === null ? 'The session has no address.' : 'No web request from this address in that window.'}
        </div>
      ) : (
        <>
          <HTMLTable compact className="dossier-pivot-table" data-testid="session-web">
            <thead>
              <tr>
                <th>Time</th>
                <th>Method</th>
                <th>Path</th>
                <th className="dossier-num">Status</th>
              </tr>
            </thead>
            <tbody>
              {s.webSample.map((r) => (
                <tr key={r.id} data-testid="session-web-row">
                  <td className="dossier-nowrap">{pivotTime(r.ts, zone)}</td>
                  <td className="dossier-mono">{r.method ?? '—'}</td>
                  <td className="dossier-mono dossier-break">{r.path ?? r.message}</td>
                  <td className="dossier-num">{r.status ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
          <Button
            size="small"
            variant="minimal"
            intent="primary"
            icon="th-list"
            text={s.web.count > s.webSample.length ? `All ${count(s.web.count)} requests in the timeline` : 'These requests in the timeline'}
            onClick={() => s.srcIp !== null && openTimeline({ srcIps: [s.srcIp], sourceKinds: ['apache_access'], from: s.web.windowFrom ?? undefined, to: s.web.windowTo ?? undefined })}
          />
        </>
      )}
    </div>
  );
}

/** The sessions table (rows expand to their detail). */
export function SessionsTable({ casePath, filters, zone, compact = false }: Readonly<{ casePath: string; filters: SessionFilters; zone: string; compact?: boolean }>) {
  const q = useAuthSessions(casePath, filters);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  if (q.isPending) {
    return <Spinner size={24} />;
  }
  if (q.isError) {
    return <ErrorCallout error={q.error} title="The auth sessions could not be rebuilt" />;
  }
  const { sessions, total, unattributedCommands } = q.data;
  if (total === 0 && compact) {
    return (
      <div className={Classes.TEXT_MUTED} data-testid="sessions-none">
        No successful login in the auth logs.
      </div>
    );
  }
  if (total === 0) {
    return <NonIdealState icon="log-in" title="No login sessions" description="No successful login (sshd, dropbear, console) matches in the auth logs of this case." />;
  }
  const toggle = (id: number) => setOpen((prev) => {
    const next = new Set(prev);
    if (!next.delete(id)) {
      next.add(id);
    }
    return next;
  });
  return (
    <div data-testid="sessions" aria-busy={q.isFetching}>
      <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL} dossier-pivot-note`} data-testid="sessions-count">
        {count(total)} session{total === 1 ? '' : 's'}
        {sessions.length < total ? ` (the first ${count(sessions.length)} shown)` : ''}
        {unattributedCommands > 0 ? ` · ${count(unattributedCommands)} sudo/su line${unattributedCommands === 1 ? '' : 's'} tied to no session` : ''}
      </div>
      <HTMLTable compact interactive className="dossier-pivot-table dossier-pivot-sessions" data-testid="sessions-table">
        <thead>
          <tr>
            <th />
            <th>User</th>
            <th>From</th>
            <th>Method</th>
            <th>Start</th>
            <th>End</th>
            <th>Duration</th>
            <th className="dossier-num">Commands</th>
            <th className="dossier-num">Failed before</th>
            <th className="dossier-num">Web requests nearby</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const expanded = open.has(s.id);
            return (
              <Fragment key={s.id}>
                <tr data-testid="session-row" data-session-id={s.id} data-src-ip={s.srcIp ?? ''} aria-expanded={expanded} onClick={() => toggle(s.id)}>
                  <td>
                    <Button size="small" variant="minimal" icon={expanded ? 'chevron-down' : 'chevron-right'} aria-label={expanded ? 'Collapse the session' : 'Expand the session'} onClick={(e) => { e.stopPropagation(); toggle(s.id); }} />
                  </td>
                  <td className="dossier-mono dossier-break">{s.user ?? '—'}</td>
                  <td className="dossier-mono dossier-nowrap">{addressWithPort(s.srcIp, s.srcPort)}</td>
                  <td>{s.method ?? '—'}</td>
                  <td className="dossier-nowrap">{pivotTime(s.start, zone)}</td>
                  <td className="dossier-nowrap">{s.end === null ? <span className={Classes.TEXT_MUTED}>not logged</span> : pivotTime(s.end, zone)}</td>
                  <td className="dossier-nowrap">{formatDuration(s.durationMs)}</td>
                  <td className="dossier-num">{count(s.commandCount)}</td>
                  <td className="dossier-num">{s.failuresBefore.count > 0 ? <Tag minimal intent="warning">{count(s.failuresBefore.count)}</Tag> : '0'}</td>
                  <td className="dossier-num">{s.web.count > 0 ? <Tag minimal intent="primary">{count(s.web.count)}</Tag> : '0'}</td>
                </tr>
                {expanded ? (
                  <tr className="dossier-pivot-session-expanded">
                    <td />
                    <td colSpan={9}>
                      <SessionDetail casePath={casePath} session={s} zone={zone} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </HTMLTable>
    </div>
  );
}

/** The auth.log sessions of the whole case, filtered by user, address or range. */
export function SessionsView({ casePath, zone }: Readonly<{ casePath: string; zone: string }>) {
  const [user, setUser] = useState('');
  const [ip, setIp] = useState('');
  const [filters, setFilters] = useState<SessionFilters>({});

  function apply(e: FormEvent): void {
    e.preventDefault();
    setFilters({ ...(user.trim() === '' ? {} : { user: user.trim() }), ...(ip.trim() === '' ? {} : { ip: ip.trim() }) });
  }

  return (
    <div className="dossier-pivot-sessions-view" data-testid="sessions-view">
      <Callout compact icon="info-sign" className="dossier-pivot-note">
        Sessions are rebuilt from the auth logs: a login opens one, its PAM close, disconnect or logout ends it; sudo and su lines are tied to the open
        session of the same user on the same host (and TTY). Web requests are counted from the session&apos;s address, two hours before and after it.
      </Callout>
      <form className="dossier-toolbar dossier-pivot-filters" onSubmit={apply} aria-label="Filter sessions">
        <InputGroup size="small" leftIcon="person" placeholder="User" aria-label="Session user" value={user} maxLength={256} onChange={(e) => setUser(e.target.value)} />
        <InputGroup size="small" leftIcon="globe-network" placeholder="Address or CIDR" aria-label="Session address" value={ip} maxLength={256} onChange={(e) => setIp(e.target.value)} />
        <Button size="small" type="submit" icon="filter" text="Filter" />
        {filters.user !== undefined || filters.ip !== undefined ? (
          <Button size="small" variant="minimal" icon="cross" text="Clear" onClick={() => { setUser(''); setIp(''); setFilters({}); }} />
        ) : null}
      </form>
      <SessionsTable casePath={casePath} filters={filters} zone={zone} />
    </div>
  );
}
