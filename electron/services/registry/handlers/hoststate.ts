import type { Handlers } from '../../../../shared/api/contract';
import type { hostStateMethods } from '../../../../shared/api/methods/hoststate';
import { exportPanel, listSnapshots, netstatView, processesView, serverStatusView } from '../../hoststate-service';
import type { HandlerContext } from './context';

export type HostStateHandlers = Pick<Handlers, keyof typeof hostStateMethods>;

/** Handlers of shared/api/methods/hoststate.ts, built from the back end's services. */
export function createHostStateHandlers(ctx: HandlerContext): HostStateHandlers {
  const db = () => ctx.session.requireOpen().db;
  return {
    'hoststate.snapshots': (input) => listSnapshots(db(), input.kind),
    'hoststate.serverStatus': (input) => serverStatusView(db(), input),
    'hoststate.netstat': (input) => netstatView(db(), input),
    'hoststate.processes': (input) => processesView(db(), input),
    'hoststate.exportPanel': (input) => exportPanel(db(), input),
  };
}
