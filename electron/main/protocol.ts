/**
 * Serves the built renderer (dist/renderer) at `app://dossier/` with `protocol.handle`. The request
 * resolution is pure (resolveAppRequest) and the handler takes its file reader as a parameter, so
 * both are unit-tested in Node; main.ts only passes them to Electron.
 */
import type { CustomScheme } from 'electron';
import { readFile as fsReadFile } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { SECURITY_HEADERS } from '../../shared/security/csp';
import { APP_HOST, APP_SCHEME, parseUrl } from './app-url';

/**
 * `standard` (relative URLs, origin), `secure` (a secure context, like https), `supportFetchAPI`
 * (the page may fetch its own assets). Deliberately absent: `bypassCSP`, `corsEnabled`,
 * `allowServiceWorkers`, `stream`, `allowExtensions`.
 */
export const APP_SCHEME_PRIVILEGES: ReadonlyArray<CustomScheme> = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
];

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export type AppRequestResolution = Readonly<{ file: string }> | Readonly<{ status: 404 }>;

const NOT_FOUND: AppRequestResolution = { status: 404 };

/**
 * Maps `app://dossier/<path>` to a file inside rootDir, or 404. Refuses: other schemes or hosts,
 * credentials, ports, malformed percent-encoding, NUL, backslashes, drive letters, and anything
 * that would leave rootDir after decoding and normalising (`..`, `%2e%2e`, `%2f`). Pure: no I/O.
 */
export function resolveAppRequest(url: string, rootDir: string): AppRequestResolution {
  const parsed = parseUrl(url);
  if (
    parsed === null ||
    parsed.protocol !== `${APP_SCHEME}:` ||
    parsed.host !== APP_HOST ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    return NOT_FOUND;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return NOT_FOUND;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /^\/*[A-Za-z]:/u.test(decoded)) {
    return NOT_FOUND;
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) {
    return NOT_FOUND;
  }
  const rel = segments.length === 0 ? 'index.html' : segments.join('/');
  const root = resolve(rootDir);
  const file = normalize(join(root, rel));
  const fromRoot = relative(root, file);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    return NOT_FOUND;
  }
  return { file };
}

export function contentTypeFor(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The headers of every app:// response: the CSP and the other SECURITY_HEADERS, plus the type. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return { ...SECURITY_HEADERS, 'Content-Type': contentType };
}

export type AppProtocolHandlerOptions = Readonly<{
  /** The built renderer, e.g. <app>/dist/renderer. */
  rootDir: string;
  /** Reads a whole file (a directory or a missing file must reject). Works inside app.asar. */
  readFile?: (file: string) => Promise<Uint8Array>;
}>;

function notFound(status: 404 | 405 = 404): Response {
  return new Response(status === 404 ? 'not found' : 'method not allowed', {
    status,
    headers: appResponseHeaders('text/plain; charset=utf-8'),
  });
}

/** The function given to `protocol.handle('app', …)`. Never throws: failures are 404s. */
export function createAppProtocolHandler(options: AppProtocolHandlerOptions): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? ((file: string) => fsReadFile(file));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return notFound(405);
    }
    const resolved = resolveAppRequest(request.url, options.rootDir);
    if (!('file' in resolved)) {
      return notFound();
    }
    let body: Uint8Array;
    try {
      body = await readFile(resolved.file);
    } catch {
      // missing, a directory (EISDIR) or unreadable: all the same to the page
      return notFound();
    }
    const headers = appResponseHeaders(contentTypeFor(resolved.file));
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
