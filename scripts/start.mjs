// `npm start`: builds Dossier, then runs it in Electron when the Electron runtime is present, else in
// browser mode (loopback server + the printed URL). `npm run serve` (--browser) goes to browser mode directly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browserOnly = process.argv.includes('--browser');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error(`Dossier could not be built (${[cmd, ...args].join(' ')} failed).`);
    process.exit(1);
  }
}

/** The path of the Electron binary when it is really installed, else null (it downloads on first run). */
function electronBinary() {
  try {
    const require = createRequire(join(root, 'package.json'));
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) {
      return null;
    }
    const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 && existsSync(r.stdout) ? r.stdout : null;
  } catch {
    return null;
  }
}

run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error']);
run(process.execPath, [join(root, 'scripts', 'build-node.mjs')]);

const electron = browserOnly ? null : electronBinary();
if (electron !== null) {
  const child = spawn(electron, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!browserOnly) {
    console.log('The Electron runtime is not available on this machine (it is downloaded on first run, and this machine cannot reach the internet), so Dossier starts in browser mode instead.');
  }
  const child = spawn(process.execPath, [join(root, 'dist-electron', 'server.js'), '--prepare-sample'], { cwd: root, stdio: 'inherit' });
  const stop = () => child.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
