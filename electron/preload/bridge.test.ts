import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../../shared/api/contract';
import { createBridge, type IpcRendererLike } from './bridge';
import { ALLOWED_EVENTS, ALLOWED_METHODS, isAllowedEvent, isAllowedMethod } from './channels';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc() {
  const calls: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      calls.push({ channel, args });
      return { ok: true, value: { echoed: channel } };
    },
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown): void => {
    const fakeEvent = { sender: ipc, senderId: 0 };
    for (const l of listeners.get(channel) ?? []) {
      l(fakeEvent, payload);
    }
  };
  return { ipc, calls, listeners, emit };
}

describe('preload allowlists', () => {
  it('are exactly the contract method and event names', () => {
    expect([...ALLOWED_METHODS].sort()).toEqual([...METHOD_NAMES].sort());
    expect([...ALLOWED_EVENTS].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('refuse anything else, including prototype keys and non-strings', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'cases', 'cases.open ', 'ipc', 'app.info\u0000']) {
      expect(isAllowedMethod(name)).toBe(false);
      expect(isAllowedEvent(name)).toBe(false);
    }
    expect(isAllowedMethod(42)).toBe(false);
    expect(isAllowedEvent({ toString: () => 'cases.onChanged' })).toBe(false);
  });
});

describe('createBridge', () => {
  it('exposes only invoke and on, frozen', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes a contract method on the channel of the same name and returns the envelope', async () => {
    const { ipc, calls } = fakeIpc();
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('cases.open', { path: '/x.dossier' })).resolves.toEqual({ ok: true, value: { echoed: 'cases.open' } });
    expect(calls).toEqual([{ channel: 'cases.open', args: [{ path: '/x.dossier' }] }]);
  });

  it('rejects unknown methods without touching ipcRenderer', async () => {
    const { ipc, calls } = fakeIpc();
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('fs.readFile', {})).rejects.toThrow(/Unknown call "fs.readFile"/u);
    await expect(bridge.invoke('__proto__', {})).rejects.toThrow(/Unknown call/u);
    await expect(bridge.invoke(7 as unknown as string, {})).rejects.toThrow(/Unknown call number/u);
    expect(calls).toEqual([]);
  });

  it('delivers event payloads only (never the IPC event), and unsubscribes once', () => {
    const { ipc, listeners, emit } = fakeIpc();
    const bridge = createBridge(ipc);
    const got: unknown[][] = [];
    const off = bridge.on('cases.onChanged', (...args: unknown[]) => got.push(args));
    emit('cases.onChanged', { name: 'Case A' });
    expect(got).toEqual([[{ name: 'Case A' }]]);
    off();
    off();
    emit('cases.onChanged', { name: 'Case B' });
    expect(got).toHaveLength(1);
    expect(listeners.get('cases.onChanged')?.size).toBe(0);
  });

  it('refuses unknown events and non-function listeners without touching ipcRenderer', () => {
    const { ipc, listeners } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(() => bridge.on('cases.open', () => undefined)).toThrow(/Unknown event/u);
    expect(() => bridge.on('ELECTRON_BROWSER_WINDOW_ALERT', () => undefined)).toThrow(/Unknown event/u);
    expect(() => bridge.on('cases.onChanged', 'nope' as unknown as () => void)).toThrow(TypeError);
    expect(listeners.size).toBe(0);
  });
});
