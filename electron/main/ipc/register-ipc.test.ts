import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/errors';
import { DossierError } from '../../../shared/api/errors';
import type { Dispatch } from '../../services/registry/dispatch';
import {
  createEventForwarder,
  createIpcCall,
  isTrustedSender,
  registerIpc,
  type HostHandlers,
  type IpcInvokeEventLike,
  type IpcInvokeHandler,
  type IpcMainLike,
} from './register-ipc';

const OUR_ID = 7;

function event(url: string | null, id = OUR_ID, parent: unknown = null): IpcInvokeEventLike {
  return { sender: { id }, senderFrame: url === null ? null : { url, parent } };
}

const trusted = event('app://dossier/index.html');

function fakeIpcMain() {
  const handlers = new Map<string, IpcInvokeHandler>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) {
        throw new Error(`second handler for ${channel}`);
      }
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => {
      handlers.delete(channel);
    },
  };
  // What Electron does for an invoke on a channel without a handler.
  const invoke = async (channel: string, e: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> => {
    const handler = handlers.get(channel);
    if (handler === undefined) {
      throw new Error(`No handler registered for '${channel}'`);
    }
    return handler(e, ...args);
  };
  return { ipcMain, handlers, invoke };
}

function setup(backendImpl?: Dispatch, host?: Partial<HostHandlers>) {
  const backendCalls: Array<{ method: string; input: unknown }> = [];
  const backend: Dispatch =
    backendImpl ??
    (async (method, input) => {
      backendCalls.push({ method, input });
      return { ok: true, value: { from: 'backend', method } };
    });
  const hostCalls: Array<{ method: string; input: unknown; senderId: number }> = [];
  const hostHandlers: HostHandlers = {
    'dialog.openCase': async (input, ctx) => {
      hostCalls.push({ method: 'dialog.openCase', input, senderId: ctx.senderId });
      return { path: '/cases/a.dossier' };
    },
    'dialog.saveCase': async (input, ctx) => {
      hostCalls.push({ method: 'dialog.saveCase', input, senderId: ctx.senderId });
      return { path: null };
    },
    'dialog.pickFolder': async () => ({ path: '/evidence' }),
    'dialog.saveExport': async () => ({ path: '/exports/view.csv' }),
    ...host,
  };
  const logs: string[] = [];
  const options = { backend, host: hostHandlers, isOurWebContents: (id: number) => id === OUR_ID, log: (m: string) => logs.push(m) };
  return { options, backendCalls, hostCalls, logs, call: createIpcCall(options) };
}

describe('isTrustedSender', () => {
  const ours = (id: number) => id === OUR_ID;
  it('trusts our window showing app://dossier/', () => {
    expect(isTrustedSender(trusted, ours)).toBe(true);
    expect(isTrustedSender(event('app://dossier/'), ours)).toBe(true);
  });
  it.each([
    ['a foreign URL', event('https://attacker.example/')],
    ['a look-alike host', event('app://dossier.evil/')],
    ['credentials in the URL', event('app://dossier@evil/')],
    ['a file:// page', event('file:///tmp/evil.html')],
    ['a destroyed frame', event(null)],
    ['a sub-frame', event('app://dossier/index.html', OUR_ID, { url: 'app://dossier/index.html' })],
    ['a webContents that is not ours', event('app://dossier/index.html', 99)],
  ])('refuses %s', (_label, e) => {
    expect(isTrustedSender(e, ours)).toBe(false);
  });
});

describe('registerIpc', () => {
  it('registers exactly one handler per contract method, channel = method name', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    registerIpc(ipcMain, setup().options);
    expect([...handlers.keys()].sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('an unknown channel has no handler', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    registerIpc(ipcMain, setup().options);
    await expect(invoke('fs.readFile', trusted, {})).rejects.toThrow(/No handler/u);
  });

  it('the body answers not_found for an unknown method (never throws)', async () => {
    const { call } = setup();
    await expect(call('fs.readFile', trusted, {})).resolves.toEqual({ ok: false, error: { code: 'not_found', message: 'Unknown call "fs.readFile".' } });
    await expect(call('__proto__', trusted, {})).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('forwards a valid call from a trusted sender to the back end with the raw input', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const s = setup();
    registerIpc(ipcMain, s.options);
    await expect(invoke('cases.open', trusted, { path: '/c/a.dossier' })).resolves.toEqual({ ok: true, value: { from: 'backend', method: 'cases.open' } });
    await expect(invoke('cases.current', trusted)).resolves.toMatchObject({ ok: true });
    expect(s.backendCalls).toEqual([
      { method: 'cases.open', input: { path: '/c/a.dossier' } },
      { method: 'cases.current', input: {} },
    ]);
  });

  it('refuses an untrusted sender before validating or dispatching', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const s = setup();
    registerIpc(ipcMain, s.options);
    for (const e of [event('https://attacker.example/'), event('app://dossier/', 99), event(null)]) {
      const answer = (await invoke('cases.open', e, { path: '/c/a.dossier' })) as Envelope<unknown>;
      expect(answer).toEqual({ ok: false, error: { code: 'unsupported', message: 'This page is not allowed to call Dossier.' } });
    }
    expect(s.backendCalls).toEqual([]);
    expect(s.hostCalls).toEqual([]);
    expect(s.logs.some((l) => l.includes('untrusted sender'))).toBe(true);
  });

  it('answers bad_input for input the contract refuses, without dispatching', async () => {
    const s = setup();
    for (const input of [{ path: '' }, { path: 42 }, { path: '/a', extra: true }, 'nope', null]) {
      const answer = await s.call('cases.open', trusted, input);
      expect(answer.ok).toBe(false);
      expect(!answer.ok && answer.error.code).toBe('bad_input');
    }
    expect(await s.call('dialog.saveCase', trusted, { suggestedName: 'x'.repeat(500) })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(s.backendCalls).toEqual([]);
    expect(s.hostCalls).toEqual([]);
  });

  it('serves dialog.* on the host with the parsed input and the calling window', async () => {
    const s = setup();
    await expect(s.call('dialog.openCase', trusted, undefined)).resolves.toEqual({ ok: true, value: { path: '/cases/a.dossier' } });
    await expect(s.call('dialog.saveCase', trusted, { suggestedName: 'Case 1' })).resolves.toEqual({ ok: true, value: { path: null } });
    expect(s.hostCalls).toEqual([
      { method: 'dialog.openCase', input: {}, senderId: OUR_ID },
      { method: 'dialog.saveCase', input: { suggestedName: 'Case 1' }, senderId: OUR_ID },
    ]);
    expect(s.backendCalls).toEqual([]);
  });

  it('turns handler errors into an envelope with no stack', async () => {
    const boom = new Error('disk exploded\n    at secret (/home/analyst/x.ts:1:1)');
    const s = setup(undefined, {
      'dialog.pickFolder': async () => {
        throw boom;
      },
      'dialog.openCase': async () => {
        throw new DossierError('cancelled', 'The dialog was closed.');
      },
    });
    const answer = await s.call('dialog.pickFolder', trusted, {});
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong: disk exploded' } });
    expect(JSON.stringify(answer)).not.toMatch(/ at |\.ts:/u);
    expect(await s.call('dialog.openCase', trusted, {})).toEqual({ ok: false, error: { code: 'cancelled', message: 'The dialog was closed.' } });
  });

  it('turns a failing back end (rejected dispatch) into an envelope', async () => {
    const s = setup(async () => {
      throw new TypeError('worker gone\nstack line');
    });
    const answer = await s.call('cases.current', trusted, {});
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong: worker gone' } });
  });

  it('passes the back end error envelope through unchanged', async () => {
    const s = setup(async () => ({ ok: false, error: { code: 'case_locked', message: 'Open elsewhere.' } }));
    expect(await s.call('cases.open', trusted, { path: '/a.dossier' })).toEqual({ ok: false, error: { code: 'case_locked', message: 'Open elsewhere.' } });
  });

  it('refuses a host answer that breaks the contract', async () => {
    const s = setup(undefined, { 'dialog.pickFolder': async () => ({ path: 42 }) as unknown as { path: string } });
    expect(await s.call('dialog.pickFolder', trusted, {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('unregisters every handler', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispose = registerIpc(ipcMain, setup().options);
    dispose();
    expect(handlers.size).toBe(0);
  });
});

describe('createEventForwarder', () => {
  function target(id: number, url: string, destroyed = false) {
    const sent: unknown[][] = [];
    return { id, sent, isDestroyed: () => destroyed, getURL: () => url, send: (channel: string, ...args: unknown[]) => sent.push([channel, ...args]) };
  }

  it('sends contract events to live app windows only', () => {
    const a = target(1, 'app://dossier/index.html');
    const foreign = target(2, 'https://attacker.example/');
    const dead = target(3, 'app://dossier/index.html', true);
    const logs: string[] = [];
    const forward = createEventForwarder(() => [a, foreign, dead], (m) => logs.push(m));
    forward('cases.onChanged', { name: 'X' });
    forward('secrets.onLeak', { token: 't' });
    expect(a.sent).toEqual([['cases.onChanged', { name: 'X' }]]);
    expect(foreign.sent).toEqual([]);
    expect(dead.sent).toEqual([]);
    expect(logs.some((l) => l.includes('undeclared event'))).toBe(true);
  });

  it('survives a send that throws', () => {
    const broken = { id: 1, isDestroyed: () => false, getURL: () => 'app://dossier/', send: () => { throw new Error('gone'); } };
    const ok = target(2, 'app://dossier/');
    const forward = createEventForwarder(() => [broken, ok], () => undefined);
    expect(() => forward('cases.onChanged', null)).not.toThrow();
    expect(ok.sent).toEqual([['cases.onChanged', null]]);
  });
});
