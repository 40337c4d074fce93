// Streaming generator for the Apache workers benchmark (scripts/bench-process.mjs): an access log whose
// every line ends with a classic-layout UNIQUE_ID (prefork, 16 scoreboard slots, MaxRequestsPerChild
// 10000, a nightly restart), the error log with the restart notices, and an auth.log with the sudo
// command before each restart. Deterministic; written in ~4 MB pieces so memory stays flat.
//
//   node scripts/bench/process-data.mjs --lines 5000000 --out .bench/data/process-5m
import { closeSync, existsSync, mkdirSync, openSync, renameSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const PROCESS_DATA_VERSION = 1;
const START = Date.UTC(2024, 2, 1, 0, 0, 0);
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n) => String(n).padStart(2, '0');
const clf = (ms) => {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
};
const ctime = (ms) => {
  const d = new Date(ms);
  return `${DAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
};
const sys = (ms) => {
  const d = new Date(ms);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};

function uniqueId(sec, pid, counter, slot) {
  const b = Buffer.alloc(18);
  b.writeUInt32BE(sec, 0);
  b.set([10, 0, 0, 5], 4);
  b.writeUInt32BE(pid, 8);
  b.writeUInt16BE(counter & 0xffff, 12);
  b.writeUInt32BE(slot, 14);
  return b.toString('base64').replaceAll('+', '@').replaceAll('/', '-');
}

class Sink {
  constructor(path) {
    this.path = path;
    this.tmp = `${path}.tmp`;
    this.fd = openSync(this.tmp, 'w');
    this.buf = '';
  }
  line(s) {
    this.buf += `${s}\n`;
    if (this.buf.length > 4 << 20) {
      writeSync(this.fd, this.buf);
      this.buf = '';
    }
  }
  close(mtimeMs) {
    writeSync(this.fd, this.buf);
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    utimesSync(this.path, new Date(mtimeMs), new Date(mtimeMs));
  }
}

export function generateProcessData(lines, out) {
  let seed = 20110308;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  mkdirSync(join(out, 'apache2'), { recursive: true });
  const access = new Sink(join(out, 'apache2', 'access.log'));
  const error = new Sink(join(out, 'apache2', 'error.log'));
  const auth = new Sink(join(out, 'auth.log'));
  const SLOTS = 16;
  let nextPid = 2000;
  const newPid = () => {
    nextPid += 1 + Math.floor(rnd() * 3);
    if (nextPid > 32_000) {
      nextPid = 300;
    }
    return nextPid;
  };
  const pid = Array.from({ length: SLOTS }, newPid);
  const served = new Array(SLOTS).fill(0);
  const counter = pid.map(() => Math.floor(rnd() * 65536));
  const paths = ['/', '/index.php', '/about.html', '/news.php?id=7', '/static/site.css', '/images/logo.png', '/login.php', '/search.php?q=x'];
  let t = START;
  let nextRestart = START + 86_400_000 - 3_600_000 * 2; // nightly at 22:00 UTC
  for (let i = 0; i < lines; i++) {
    t += 1 + Math.floor(rnd() * 1000);
    if (t >= nextRestart) {
      auth.line(`${sys(nextRestart)} web sshd[${4000 + (i % 900)}]: Accepted publickey for ops from 192.0.2.7 port 51234 ssh2`);
      auth.line(`${sys(nextRestart)} web sudo:      ops : TTY=pts/0 ; PWD=/home/ops ; USER=root ; COMMAND=/usr/sbin/service apache2 restart`);
      error.line(`[${ctime(nextRestart)}] [notice] SIGHUP received.  Attempting to restart`);
      error.line(`[${ctime(nextRestart + 1000)}] [notice] Apache/2.2.22 (Ubuntu) configured -- resuming normal operations`);
      for (let s = 0; s < SLOTS; s++) {
        pid[s] = newPid();
        served[s] = 0;
        counter[s] = Math.floor(rnd() * 65536);
      }
      t = Math.max(t, nextRestart + 2000);
      nextRestart += 86_400_000;
    }
    const s = Math.floor(rnd() * rnd() * SLOTS); // low slots busier, as under prefork
    if (served[s] >= 10_000) {
      pid[s] = newPid();
      served[s] = 0;
      counter[s] = Math.floor(rnd() * 65536);
    }
    served[s]++;
    const c = counter[s];
    counter[s] = (c + 1) & 0xffff;
    const uid = uniqueId(Math.floor(t / 1000), pid[s], c, s);
    access.line(`198.51.100.${i % 250} - - [${clf(t)}] "GET ${paths[i % paths.length]} HTTP/1.1" 200 ${200 + (i % 9000)} "-" "Mozilla/5.0 (X11; Linux x86_64)" ${uid}`);
  }
  access.close(t);
  error.close(t);
  auth.close(t);
}

export function ensureProcessData(root, lines) {
  const out = join(root, `process-${lines}-v${PROCESS_DATA_VERSION}`);
  if (!existsSync(join(out, 'auth.log'))) {
    generateProcessData(lines, out);
  }
  return out;
}
