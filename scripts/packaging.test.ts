import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type BuildConfig = {
  appId: string;
  productName: string;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  fileAssociations: Array<{ ext: string; name: string }>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { build: BuildConfig; main: string; scripts: Record<string, string>; devDependencies: Record<string, string> };

describe('packaging configuration (electron-builder)', () => {
  it('names the app, associates .dossier files, and targets Linux, Windows and macOS', () => {
    expect(pkg.build.appId).toBe('org.dossier.workbench');
    expect(pkg.build.productName).toBe('Dossier');
    expect(pkg.build.fileAssociations).toEqual([expect.objectContaining({ ext: 'dossier' })]);
    expect(pkg.build.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(pkg.build.win.target).toContain('nsis');
    expect(pkg.build.mac.target).toContain('dmg');
    expect(pkg.main).toBe('dist-electron/main.js');
  });

  it('unpacks better-sqlite3 from the asar and never rebuilds native modules implicitly', () => {
    expect(pkg.build.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(pkg.build.npmRebuild).toBe(false);
    expect(pkg.build.files).toEqual(expect.arrayContaining(['dist/**', 'dist-electron/**', 'resources/sample-case/**']));
  });

  it('pins electron exactly (no postinstall download)', () => {
    expect(pkg.devDependencies['electron']).toMatch(/^\d+\.\d+\.\d+$/u);
  });

  it.skipIf(existsSync('node_modules/electron/path.txt'))('fails `npm run dist` without the Electron runtime in one sentence', () => {
    const r = spawnSync(process.execPath, ['scripts/dist.mjs'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs the Electron runtime/u);
  });
});
