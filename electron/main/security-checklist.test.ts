/**
 * The Electron security checklist (electronjs.org/docs/latest/tutorial/security), item by item,
 * against the plain objects and functions main.ts wires up. See docs/electron-security.md.
 */
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../../shared/api/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/csp';
import { createBridge } from '../preload/bridge';
import { APP_INDEX_URL } from './app-url';
import { applySessionGuards, applyWebContentsGuards, isAllowedNavigation, isAllowedRequest } from './guards';
import { createIpcCall, isTrustedSender } from './ipc/register-ipc';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol';
import { fakeContents, fakeSession, type AnyListener } from './testing/fakes';
import { devToolsEnabled, mainWindowOptions } from './window-options';

const webPreferences = mainWindowOptions('/app/dist-electron/preload.cjs', { devTools: false }).webPreferences ?? {};
const mainSource = readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
const preloadSource = readFileSync(new URL('../preload/preload.ts', import.meta.url), 'utf8');

function cspDirectives(): Map<string, string[]> {
  return new Map(
    CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim().split(/\s+/u))
      .filter((parts): parts is [string, ...string[]] => parts[0] !== undefined && parts[0] !== '')
      .map(([name, ...values]) => [name, values]),
  );
}

function productionSources(dir: URL): Array<{ file: string; text: string }> {
  const root = fileURLToPath(dir);
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'))
    .map((f) => ({ file: f, text: readFileSync(`${root}/${f}`, 'utf8') }));
}

describe('Electron security checklist', () => {
  it('1. only secure content: the UI is app://dossier/ (a privileged secure scheme), never http or file', () => {
    expect(APP_INDEX_URL).toBe('app://dossier/index.html');
    expect(APP_SCHEME_PRIVILEGES[0]?.privileges?.secure).toBe(true);
    expect(mainSource).toContain('win.loadURL(APP_INDEX_URL)');
    expect(mainSource).not.toMatch(/loadFile\(|file:\/\/|https?:\/\//u);
  });

  it('2. Node.js integration is off everywhere', () => {
    expect(webPreferences.nodeIntegration).toBe(false);
    expect(webPreferences.nodeIntegrationInWorker).toBe(false);
    expect(webPreferences.nodeIntegrationInSubFrames).toBe(false);
  });

  it('3. context isolation is on', () => {
    expect(webPreferences.contextIsolation).toBe(true);
  });

  it('4. the process sandbox is on, for this window and app-wide', () => {
    expect(webPreferences.sandbox).toBe(true);
    expect(mainSource).toContain('app.enableSandbox()');
  });

  it('5. every permission request, check and device request is denied', () => {
    const f = fakeSession();
    applySessionGuards(f.session);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'display-capture', 'midiSysex', 'usb']) {
      expect(f.askPermission(permission), permission).toBe(false);
      expect((f.handlers['check'] as AnyListener)(null, permission, 'app://dossier', {})).toBe(false);
    }
    expect((f.handlers['device'] as AnyListener)({})).toBe(false);
    expect(mainSource).toContain('applySessionGuards(session.defaultSession');
  });

  it('6. webSecurity is not disabled', () => {
    expect(webPreferences.webSecurity).toBe(true);
  });

  it('7. a strict Content-Security-Policy is defined and sent with every app:// response', async () => {
    const d = cspDirectives();
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    for (const [name, values] of d) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|unsafe-hashes|^\*$|\*\.|^https?:|^wss?:|^http|^ws/u);
      }
    }
    const handler = createAppProtocolHandler({ rootDir: '/r', readFile: async (f) => (f.endsWith('index.html') ? new Uint8Array([60]) : Promise.reject(new Error('ENOENT'))) });
    for (const url of ['app://dossier/index.html', 'app://dossier/missing.js', 'app://dossier/%2e%2e%2fx']) {
      expect((await handler(new Request(url))).headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('8. insecure content is not allowed', () => {
    expect(webPreferences.allowRunningInsecureContent).toBe(false);
  });

  it('9. experimental features are off', () => {
    expect(webPreferences.experimentalFeatures).toBe(false);
  });

  it('10. no enableBlinkFeatures', () => {
    expect(webPreferences.enableBlinkFeatures).toBeUndefined();
  });

  it('11-12. <webview> is disabled and any attach is prevented', () => {
    expect(webPreferences.webviewTag).toBe(false);
    const f = fakeContents();
    applyWebContentsGuards(f.contents);
    let prevented = false;
    f.listeners.get('will-attach-webview')?.({ preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });

  it('13. navigation is limited to app://dossier/, on every webContents', () => {
    const f = fakeContents();
    applyWebContentsGuards(f.contents);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(f.navigate(event, 'https://attacker.example/'), event).toBe(true);
      expect(f.navigate(event, 'app://dossier/index.html'), event).toBe(false);
    }
    expect(isAllowedNavigation('http://127.0.0.1:1/')).toBe(false);
    expect(webPreferences.navigateOnDragDrop).toBe(false);
    expect(mainSource).toMatch(/web-contents-created[^\n]*applyWebContentsGuards/u);
  });

  it('14. new windows are denied', () => {
    const f = fakeContents();
    applyWebContentsGuards(f.contents);
    expect(f.openWindow('https://example.com')).toEqual({ action: 'deny' });
    expect(f.openWindow('app://dossier/index.html')).toEqual({ action: 'deny' });
  });

  it('15. shell.openExternal is never used (nor shell at all) in main or preload', () => {
    for (const { file, text } of [...productionSources(new URL('.', import.meta.url)), ...productionSources(new URL('../preload/', import.meta.url))]) {
      const code = text.replace(/\/\*[\s\S]*?\*\//gu, '').replace(/\/\/[^\n]*/gu, '');
      expect(code, file).not.toMatch(/openExternal|\bshell\b/u);
    }
  });

  it('16. Electron is a current major version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Number((pkg.devDependencies['electron'] ?? '0').replace(/^\D*/u, '').split('.')[0])).toBeGreaterThanOrEqual(45);
  });

  it('17. IPC senders are validated (frame URL and our webContents), before any input is read', async () => {
    const ours = (id: number) => id === 1;
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: { url: 'app://dossier/index.html', parent: null } }, ours)).toBe(true);
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } }, ours)).toBe(false);
    expect(isTrustedSender({ sender: { id: 2 }, senderFrame: { url: 'app://dossier/index.html', parent: null } }, ours)).toBe(false);
    let dispatched = false;
    const call = createIpcCall({
      backend: async () => {
        dispatched = true;
        return { ok: true, value: null };
      },
      host: {
        'dialog.openCase': async () => ({ path: null }),
        'dialog.saveCase': async () => ({ path: null }),
        'dialog.pickFolder': async () => ({ path: null }),
        'dialog.saveExport': async () => ({ path: null }),
      },
      isOurWebContents: ours,
      log: () => undefined,
    });
    const answer = await call('cases.open', { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } }, { path: '/x.dossier' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(dispatched).toBe(false);
  });

  it('18. a custom protocol instead of file://, without CSP or CORS bypass', () => {
    const privileges = APP_SCHEME_PRIVILEGES[0]?.privileges ?? {};
    expect(privileges.standard).toBe(true);
    expect(privileges.bypassCSP).toBeUndefined();
    expect(privileges.corsEnabled).toBeUndefined();
    expect(privileges.allowServiceWorkers).toBeUndefined();
    expect(isAllowedRequest('file:///etc/passwd')).toBe(false);
    expect(mainSource).toContain('protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES])');
    expect(mainSource).toContain('protocol.handle(APP_SCHEME, createAppProtocolHandler(');
  });

  it('19. Electron fuses are flipped in the packaging config (electron-builder electronFuses)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { build: { electronFuses?: Record<string, boolean> } };
    expect(pkg.build.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // (scripts/packaging.test.ts checks that the installed electron-builder knows every option)
  });

  it('20. the preload exposes only invoke/on over contract channels, never ipcRenderer', async () => {
    const touched: string[] = [];
    const fakeIpc = {
      invoke: async (channel: string) => {
        touched.push(channel);
        return { ok: true, value: null };
      },
      on: (channel: string) => touched.push(`on:${channel}`),
      removeListener: () => undefined,
    };
    const bridge = createBridge(fakeIpc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(bridge).includes(fakeIpc as never)).toBe(false);
    for (const method of METHOD_NAMES) {
      await bridge.invoke(method, {});
    }
    for (const name of EVENT_NAMES) {
      bridge.on(name, () => undefined);
    }
    await expect(bridge.invoke('ipcRenderer.send', {})).rejects.toThrow();
    expect(() => bridge.on('ELECTRON_GUEST_WINDOW_MANAGER_WINDOW_OPEN', () => undefined)).toThrow();
    expect(touched).toEqual([...METHOD_NAMES, ...EVENT_NAMES.map((e) => `on:${e}`)]);
    expect(preloadSource).toMatch(/exposeInMainWorld\('dossier', createBridge\(ipcRenderer\)\)/u);
    expect(preloadSource.match(/exposeInMainWorld/gu)).toHaveLength(1);
  });

  it('the preload bundle runs sandboxed: it requires only electron, no Node built-ins, no zod', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../preload/preload.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const requires = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/gu)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/node:|zod/u);
    expect(code.length).toBeLessThan(20_000);
  });

  it('DevTools exist only with DOSSIER_DEVTOOLS=1', () => {
    expect(devToolsEnabled({})).toBe(false);
    expect(devToolsEnabled({ DOSSIER_DEVTOOLS: 'true' })).toBe(false);
    expect(devToolsEnabled({ DOSSIER_DEVTOOLS: '1' })).toBe(true);
    expect(mainWindowOptions('/p', { devTools: false }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p', { devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('no network, ever: every request outside app:// (and DevTools, data:, blob:app:) is cancelled', () => {
    for (const url of ['http://127.0.0.1:8080/', 'https://example.com/', 'ws://localhost:1/', 'ftp://x/', 'file:///etc/hosts']) {
      expect(isAllowedRequest(url), url).toBe(false);
    }
  });

  it('other hardening: spellcheck (which downloads dictionaries) off, safe dialogs, hidden until ready', () => {
    expect(webPreferences.spellcheck).toBe(false);
    expect(webPreferences.safeDialogs).toBe(true);
    expect(webPreferences.enableWebSQL).toBe(false);
    expect(mainWindowOptions('/p').show).toBe(false);
    expect(mainSource).toContain("win.once('ready-to-show'");
  });
});
