import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __DOSSIER_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __DOSSIER_VERSION__ === 'string' ? __DOSSIER_VERSION__ : '0.0.0-dev';

/**
 * The application root: the folder holding package.json and resources/ (the repository in
 * development, app.asar's parent content when packaged). Bundles live in <root>/dist-electron.
 */
export function appRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'resources'))) {
      return dir;
    }
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(fromUrl)), '..');
}

/** Per-user settings folder: $DOSSIER_USER_DATA, else the platform's config folder. */
export function userDataDir(): string {
  const fromEnv = process.env['DOSSIER_USER_DATA'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return resolve(fromEnv);
  }
  if (process.platform === 'win32') {
    return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Dossier');
  }
  if (process.platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', 'Dossier');
  }
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Dossier');
}

export function defaultCaseDir(): string {
  return join(homedir(), 'Dossier cases');
}

export function sampleEvidenceDir(root: string = appRoot()): string | null {
  const dir = join(root, 'resources', 'sample-case');
  return existsSync(dir) ? dir : null;
}

export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'analyst';
  }
}
