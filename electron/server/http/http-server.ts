import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from '../../../shared/security/csp';
import type { Dispatch } from '../../services/registry/dispatch';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.map': 'application/json',
};

export type HttpServerOptions = Readonly<{
  dispatch: Dispatch;
  /** The built renderer (dist/renderer); null serves only the API. */
  staticDir: string | null;
  token?: string;
  port?: number;
}>;

export type RunningHttpServer = Readonly<{
  url: string;
  port: number;
  token: string;
  /** The URL to open in a browser: the page picks the token up from it. */
  appUrl: string;
  broadcast: (name: string, payload: unknown) => void;
  close: () => Promise<void>;
}>;

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A body over the limit: answered with the envelope, and the connection closed (its rest is not read). */
function tooLarge(res: ServerResponse): void {
  const body = JSON.stringify({ ok: false, error: { code: 'bad_input', message: 'The request is too large.' } });
  res.writeHead(413, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
  res.once('finish', () => res.socket?.destroy());
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) {
      throw new Error('request too large');
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The loopback transport: the same dispatcher as Electron IPC, over HTTP on 127.0.0.1 only.
 * Every API request needs the per-run bearer token; Host and Origin are checked against DNS
 * rebinding and cross-site requests; events go out as Server-Sent Events.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sseClients = new Set<ServerResponse>();
  let port = 0;

  function allowedHost(host: string | undefined): boolean {
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  }
  function allowedOrigin(origin: string | undefined): boolean {
    return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  }
  function authorised(req: IncomingMessage, url: URL, allowQueryToken: boolean): boolean {
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      return sameToken(header.slice(7), token);
    }
    const q = url.searchParams.get('token');
    return allowQueryToken && q !== null && sameToken(q, token);
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    const dir = options.staticDir;
    if (dir === null) {
      send(res, 404, 'not found');
      return;
    }
    let rel: string;
    try {
      rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/u, '');
    } catch {
      send(res, 404, 'not found');
      return;
    }
    const file = normalize(join(dir, rel));
    if (!file.startsWith(normalize(dir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      send(res, 404, 'not found');
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHost(req.headers.host)) {
      send(res, 403, 'forbidden host');
      return;
    }
    if (!allowedOrigin(req.headers.origin)) {
      send(res, 403, 'forbidden origin');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/rpc/')) {
      if (!authorised(req, url, false)) {
        send(res, 401, 'missing or wrong token');
        return;
      }
      if (req.method !== 'POST') {
        send(res, 405, 'POST only');
        return;
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        send(res, 415, 'application/json only');
        return;
      }
      const declared = Number(req.headers['content-length'] ?? '0');
      if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
        tooLarge(res);
        return;
      }
      let input: unknown;
      let body: string;
      try {
        body = await readBody(req);
      } catch {
        tooLarge(res);
        return;
      }
      try {
        const parsed: unknown = body === '' ? {} : JSON.parse(body);
        input = typeof parsed === 'object' && parsed !== null && 'input' in parsed ? (parsed as { input: unknown }).input : {};
      } catch {
        sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: 'The request body is not valid JSON.' } });
        return;
      }
      const envelope = await options.dispatch(url.pathname.slice(5), input);
      sendJson(res, 200, envelope);
      return;
    }
    if (url.pathname === '/events') {
      if (!authorised(req, url, true)) {
        send(res, 401, 'missing or wrong token');
        return;
      }
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'method not allowed');
      return;
    }
    serveStatic(res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`[dossier] http: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        send(res, 500, 'internal error');
      } else {
        res.end();
      }
    });
  });
  server.headersTimeout = 30_000;
  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen));
  port = (server.address() as AddressInfo).port;
  const heartbeat = setInterval(() => {
    for (const c of sseClients) {
      c.write(': keep-alive\n\n');
    }
  }, 15_000);
  heartbeat.unref();

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    token,
    appUrl: `${url}/?token=${token}`,
    broadcast: (name, payload) => {
      const data = `event: message\ndata: ${JSON.stringify({ name, payload })}\n\n`;
      for (const c of sseClients) {
        c.write(data);
      }
    },
    close: async () => {
      clearInterval(heartbeat);
      for (const c of sseClients) {
        c.end();
      }
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
