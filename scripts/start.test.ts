import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm start on a machine without the Electron runtime', () => {
  it('says so in one sentence, prepares the sample case, and serves the start page at the printed URL', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'dossier-start-'));
    const child = spawn(process.execPath, ['scripts/start.mjs'], { env: { ...process.env, DOSSIER_USER_DATA: userData }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (out += c));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 170_000);
        child.stdout.on('data', () => {
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(out);
          if (m !== null) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
      });
      const sentences = out.split('\n').filter((l) => l.includes('Electron runtime'));
      expect(sentences).toHaveLength(1);
      expect(sentences[0]).toMatch(/starts in browser mode instead\.$/u);
      const page = await get(url, { Host: new URL(url).host });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<div id="root">');
      const token = new URL(url).searchParams.get('token') ?? '';
      const recent = await new Promise<string>((resolve, reject) => {
        const u = new URL('/rpc/cases.recent', url);
        const req = request(u, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end('{"input":{}}');
      });
      expect(JSON.parse(recent)).toMatchObject({ ok: true, value: [expect.objectContaining({ name: 'Sample case: defaced web shop', exists: true })] });
    } finally {
      if (child.pid !== undefined) {
        process.kill(-child.pid, 'SIGINT');
      }
      await new Promise((r) => setTimeout(r, 500));
      rmSync(userData, { recursive: true, force: true });
    }
  }, 180_000);
});
