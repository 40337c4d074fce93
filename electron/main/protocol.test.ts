import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../shared/security/csp';
import { APP_SCHEME_PRIVILEGES, contentTypeFor, createAppProtocolHandler, resolveAppRequest } from './protocol';

const ROOT = resolve('/srv/dossier/dist/renderer');

describe('resolveAppRequest', () => {
  it('maps app://dossier/ paths into the root, / to index.html', () => {
    expect(resolveAppRequest('app://dossier/', ROOT)).toEqual({ file: join(ROOT, 'index.html') });
    expect(resolveAppRequest('app://dossier/index.html', ROOT)).toEqual({ file: join(ROOT, 'index.html') });
    expect(resolveAppRequest('app://dossier/assets/index-abc.js?v=1#x', ROOT)).toEqual({ file: join(ROOT, 'assets', 'index-abc.js') });
    expect(resolveAppRequest('app://dossier/assets/Inter%20Var.woff2', ROOT)).toEqual({ file: join(ROOT, 'assets', 'Inter Var.woff2') });
  });

  it.each([
    'app://dossier/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://dossier/assets/%2e%2e%2f%2e%2e%2fsecret',
    'app://dossier/..%5c..%5cwindows%5cwin.ini',
    'app://dossier/assets\\..\\..\\x',
    'app://dossier/C:/Windows/win.ini',
    'app://dossier/c%3a/Windows/win.ini',
    'app://dossier/index.html%00.png',
    'app://dossier/%E0%A4%A',
    'app://evil/index.html',
    'app://dossier.evil/index.html',
    'app://user:pw@dossier/index.html',
    'app://dossier:8080/index.html',
    'file:///etc/passwd',
    'http://dossier/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppRequest(url, ROOT)).toEqual({ status: 404 });
  });

  it('keeps dot segments the URL parser clamps inside the root', () => {
    // The URL parser removes `..` (also `%2e%2e`) at the root, as a browser does: still inside.
    expect(resolveAppRequest('app://dossier/../../etc/passwd', ROOT)).toEqual({ file: join(ROOT, 'etc', 'passwd') });
    expect(resolveAppRequest('app://dossier/%2e%2e/%2e%2e/etc/passwd', ROOT)).toEqual({ file: join(ROOT, 'etc', 'passwd') });
    for (const url of ['app://dossier/a/../../b', 'app://dossier/./../x', 'app://dossier//etc/passwd', 'app://dossier/a/%2E%2E/%2e%2E/%2e./b']) {
      const r = resolveAppRequest(url, ROOT);
      expect('file' in r && r.file.startsWith(ROOT + sep)).toBe(true);
    }
  });
});

describe('the app:// scheme', () => {
  it('is standard, secure and fetch-capable, with no CSP or CORS bypass', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('has types for the renderer assets', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('createAppProtocolHandler', () => {
  const files = new Map<string, string>([
    [join(ROOT, 'index.html'), '<!doctype html><title>Dossier</title>'],
    [join(ROOT, 'assets', 'app.js'), 'console.log(1)'],
  ]);
  const handler = createAppProtocolHandler({
    rootDir: ROOT,
    readFile: async (file) => {
      const text = files.get(file);
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      }
      return new TextEncoder().encode(text);
    },
  });

  it('serves files with the CSP and every security header', async () => {
    const res = await handler(new Request('app://dossier/index.html'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Dossier</title>');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(res.headers.get(name)).toBe(value);
    }
  });

  it('answers 404 with the same headers for missing files and traversal', async () => {
    for (const url of ['app://dossier/missing.js', 'app://dossier/%2e%2e/%2e%2e/etc/passwd', 'app://other/index.html']) {
      const res = await handler(new Request(url));
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('allows GET and HEAD only', async () => {
    const head = await handler(new Request('app://dossier/assets/app.js', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handler(new Request('app://dossier/assets/app.js', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
