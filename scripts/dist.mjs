// `npm run dist`: installable builds with electron-builder. It needs the Electron runtime (downloaded
// from the internet); without it, say so in one sentence instead of failing deep inside the builder.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function electronAvailable() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    return existsSync(join(dir, 'path.txt'));
  } catch {
    return false;
  }
}

if (!electronAvailable()) {
  console.error('npm run dist needs the Electron runtime, which is downloaded from the internet on first use and is not installed here; run it on a machine with internet access.');
  process.exit(1);
}
const steps = [
  [process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']],
  [process.execPath, [join(root, 'scripts', 'build-node.mjs')]],
  // better-sqlite3 is rebuilt for Electron's ABI here only, never in node_modules used by the tests.
  [process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), 'install-app-deps']],
  [process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), ...process.argv.slice(2)]],
];
for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}
