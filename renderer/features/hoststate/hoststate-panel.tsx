import './hoststate.css';
import { Tab, Tabs } from '@blueprintjs/core';
import { useState } from 'react';
import type { SectionProps } from '../workspace/sections';
import { NetworkTab } from './network-tab';
import { ProcessesTab } from './processes-tab';
import { ServerStatusTab } from './server-status-tab';

/** Host state: what the server-status, netstat/ss and ps/top captures of the case show. */
export function HostStatePanel({ summary, onNavigate }: SectionProps) {
  const [tab, setTab] = useState<string>('server-status');
  const props = { casePath: summary.path, events: summary.counts.events, onNavigate };
  return (
    <div className="dossier-hoststate-panel" data-testid="hoststate-panel">
      <h2 className="dossier-hoststate-title">Host state</h2>
      <Tabs id="hoststate-tabs" selectedTabId={tab} onChange={(id) => setTab(String(id))} renderActiveTabPanelOnly>
        <Tab id="server-status" title="Server status" panel={<ServerStatusTab {...props} />} />
        <Tab id="network" title="Network" panel={<NetworkTab {...props} />} />
        <Tab id="processes" title="Processes" panel={<ProcessesTab {...props} />} />
      </Tabs>
    </div>
  );
}
