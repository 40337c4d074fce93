import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
}

describe('lint keeps the layers apart', () => {
  it('pure code may not import Node, SQLite, Electron, or the node layers', async () => {
    const m = await messages('electron/core/parsers/x.ts', "import { readFileSync } from 'node:fs';\nimport Database from 'better-sqlite3';\nimport { openCaseFile } from '../../db/case-file';\nexport const x = [readFileSync, Database, openCaseFile];\n");
    expect(m.filter((x) => x.startsWith('no-restricted-imports'))).toHaveLength(3);
    const shared = await messages('shared/domain/x.ts', "import { join } from 'path';\nimport { x } from '../../electron/core/parsers/registry';\nexport const y = [join, x];\n");
    expect(shared.filter((x) => x.startsWith('no-restricted-imports'))).toHaveLength(2);
  });

  it('the renderer may not import electron/, Node or SQLite', async () => {
    const m = await messages('renderer/features/x.ts', "import { ipcRenderer } from 'electron';\nimport { CaseSession } from '../../electron/services/case-session';\nexport const x = [ipcRenderer, CaseSession];\n");
    expect(m.filter((x) => x.startsWith('no-restricted-imports'))).toHaveLength(2);
  });

  it('services reach workers only through ports, and main never ships the loopback server', async () => {
    const s = await messages('electron/services/x.ts', "import { scanFolder } from '../workers/ingest/scan';\nexport const x = scanFolder;\n");
    expect(s.some((x) => x.startsWith('no-restricted-imports'))).toBe(true);
    const m = await messages('electron/main/x.ts', "import { startHttpServer } from '../server/http/http-server';\nexport const x = startHttpServer;\n");
    expect(m.some((x) => x.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('allowed imports pass, and log content is never rendered as HTML', async () => {
    expect(await messages('electron/core/parsers/y.ts', "import type { ParseResult } from '../../../shared/domain/parsed';\nexport type Y = ParseResult;\n")).toEqual([]);
    const html = await messages('renderer/features/z.tsx', 'export function Z(p: { t: string }) {\n  return <div dangerouslySetInnerHTML={{ __html: p.t }} />;\n}\n');
    expect(html.some((x) => x.includes('never render it as HTML'))).toBe(true);
  });
});
