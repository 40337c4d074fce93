import { describe, expect, it } from 'vitest';
import { applySessionGuards, applyWebContentsGuards, isAllowedNavigation, isAllowedRequest } from './guards';
import { fakeContents, fakeSession, type AnyListener } from './testing/fakes';

describe('isAllowedNavigation', () => {
  it('allows app://dossier/ only', () => {
    expect(isAllowedNavigation('app://dossier/index.html')).toBe(true);
    expect(isAllowedNavigation('app://dossier/')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://dossier.evil.com/',
      'app://dossier@evil/',
      'app://dossier:1/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'chrome://gpu',
      'devtools://devtools/bundled/inspector.html',
      '',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });
});

describe('isAllowedRequest', () => {
  it('allows the app, DevTools and in-memory URLs', () => {
    for (const url of ['app://dossier/assets/app.js', 'devtools://devtools/bundled/inspector.html', 'data:image/png;base64,AAAA', 'blob:app://dossier/0b3f-11']) {
      expect(isAllowedRequest(url), url).toBe(true);
    }
  });

  it('blocks every network and file request, loopback included', () => {
    for (const url of [
      'http://127.0.0.1:1234/rpc/app.info',
      'http://localhost/',
      'http://[::1]/',
      'https://example.com/x.js',
      'ws://127.0.0.1:9222/',
      'wss://example.com/',
      'ftp://example.com/',
      'file:///etc/passwd',
      'blob:https://evil.example/0b3f',
      'app://other/x',
      'chrome-extension://abc/x.js',
      'not a url',
    ]) {
      expect(isAllowedRequest(url), url).toBe(false);
    }
  });
});

describe('applyWebContentsGuards', () => {
  it('prevents foreign navigations and redirects, allows the app', () => {
    const f = fakeContents();
    applyWebContentsGuards(f.contents);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(f.navigate(event, 'https://attacker.example/'), event).toBe(true);
      expect(f.navigate(event, 'file:///etc/passwd'), event).toBe(true);
      expect(f.navigate(event, 'app://dossier/index.html'), event).toBe(false);
    }
  });

  it('refuses every <webview> and every new window', () => {
    const f = fakeContents();
    const logged: string[] = [];
    applyWebContentsGuards(f.contents, (m) => logged.push(m));
    let prevented = false;
    f.listeners.get('will-attach-webview')?.({ preventDefault: () => (prevented = true) }, {}, { src: 'https://x' });
    expect(prevented).toBe(true);
    expect(f.openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(f.openWindow('app://dossier/index.html')).toEqual({ action: 'deny' });
    expect(logged.length).toBeGreaterThanOrEqual(3);
  });
});

describe('applySessionGuards', () => {
  it('denies every permission request, check and device', () => {
    const f = fakeSession();
    applySessionGuards(f.session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'usb', 'serial', 'unknown']) {
      expect(f.askPermission(permission), permission).toBe(false);
      expect((f.handlers['check'] as AnyListener)(null, permission, 'app://dossier', {}), permission).toBe(false);
    }
    expect((f.handlers['device'] as AnyListener)({ deviceType: 'usb', origin: 'app://dossier' })).toBe(false);
    expect(f.handlers['spellcheck']).toBe(false);
  });

  it('cancels every request the predicate refuses', () => {
    const f = fakeSession();
    applySessionGuards(f.session);
    expect(f.request('app://dossier/index.html')).toEqual({ cancel: false });
    expect(f.request('http://127.0.0.1:5555/')).toEqual({ cancel: true });
    expect(f.request('https://fonts.googleapis.com/css')).toEqual({ cancel: true });
  });
});
