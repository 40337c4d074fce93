import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, PNG_SIZES } from './make-icons.mjs';

type BuildConfig = {
  appId: string;
  productName: string;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  fileAssociations: Array<{ ext: string; name: string }>;
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  electronFuses: Record<string, boolean>;
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

/** Width and height from a PNG's IHDR chunk (after the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('Electron fuses (flipped by electron-builder at packaging, before signing)', () => {
  const fuses = pkg.build.electronFuses;

  it('turns off ELECTRON_RUN_AS_NODE, NODE_OPTIONS and --inspect; loads the app only from a validated asar; encrypts cookies; no file:// privileges', () => {
    expect(fuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('uses only options the installed electron-builder knows, and @electron/fuses is there to apply them', () => {
    const require = createRequire(join(process.cwd(), 'package.json'));
    const builderLib = join(require.resolve('app-builder-lib/package.json'), '..');
    const types = readFileSync(join(builderLib, 'out', 'configuration.d.ts'), 'utf8');
    const fuseOptions = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/u.exec(types)?.[1] ?? '';
    expect(types).toMatch(/readonly electronFuses\?: FuseOptionsV1/u);
    for (const key of Object.keys(fuses)) {
      expect(fuseOptions, key).toMatch(new RegExp(`\\b${key}\\?: boolean`, 'u'));
    }
    expect(readFileSync(join(builderLib, 'out', 'platformPackager.js'), 'utf8')).toContain('doAddElectronFuses');
    expect(() => require.resolve('@electron/fuses')).not.toThrow();
  });

  it("the whole build config passes electron-builder's own schema (and the check refuses an unknown fuse)", async () => {
    const require = createRequire(join(process.cwd(), 'package.json'));
    type Validate = (config: unknown, logger: unknown) => Promise<void>;
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig: (dir: string, path: null, options: null) => Promise<Record<string, unknown>>;
      validateConfiguration: Validate;
    };
    const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(process.cwd(), null, null);
    expect(config['electronFuses']).toEqual(fuses);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const wrong = { ...config, electronFuses: { ...fuses, runAsNodeX: false } };
    await expect(validateConfiguration(wrong, new DebugLogger(false))).rejects.toThrow(/does not match the API schema/u);
  });

  it('RunAsNode off is safe: no production code forks a Node child through Electron', () => {
    const offenders: string[] = [];
    for (const dir of ['electron/main', 'electron/preload', 'electron/workers', 'electron/services']) {
      for (const f of readdirSync(dir, { recursive: true }) as string[]) {
        if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.includes('testing')) {
          continue;
        }
        const code = readFileSync(join(dir, f), 'utf8');
        if (/ELECTRON_RUN_AS_NODE|child_process|\bfork\(|utilityProcess/u.test(code)) {
          offenders.push(`${dir}/${f}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('icons (resources/icons, made by scripts/make-icons.mjs from icon.svg)', () => {
  const dir = 'resources/icons';

  it('the builder config points at them for Linux, Windows and macOS', () => {
    expect(pkg.build.linux.icon).toBe(dir);
    expect(pkg.build.win.icon).toBe(`${dir}/icon.ico`);
    expect(pkg.build.mac.icon).toBe(`${dir}/icon.icns`);
    expect(readFileSync(join(dir, 'icon.svg'), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 1024 1024"/u);
  });

  it.each(PNG_SIZES.map((s) => [s]))('%ipx PNG has that size', (size) => {
    expect(pngSize(readFileSync(join(dir, `${size}x${size}.png`)))).toEqual({ width: size, height: size });
  });

  it('the .ico holds one PNG per size, each with the size its directory entry says', () => {
    const ico = readFileSync(join(dir, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const e = 6 + 16 * i;
      const declared = ico.readUInt8(e) === 0 ? 256 : ico.readUInt8(e);
      const length = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      expect(pngSize(ico.subarray(offset, offset + length))).toEqual({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual(ICO_SIZES);
  });

  it('the .icns is a well-formed container of PNG entries ic07 (128) to ic10 (1024)', () => {
    const icns = readFileSync(join(dir, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Array<[string, number]> = [];
    for (let o = 8; o < icns.length; ) {
      const type = icns.subarray(o, o + 4).toString('latin1');
      const length = icns.readUInt32BE(o + 4);
      expect(length).toBeGreaterThan(8);
      found.push([type, pngSize(icns.subarray(o + 8, o + length)).width]);
      o += length;
    }
    expect(found).toEqual(ICNS_TYPES);
    expect(Object.fromEntries(found)).toMatchObject({ ic07: 128, ic08: 256, ic09: 512, ic10: 1024 });
  });
});
