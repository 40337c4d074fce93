/**
 * A synthetic Apache case with known truth, for the process-analysis tests: a prefork server whose
 * access log carries mod_unique_id (classic layout), its error log, and an auth.log whose clock is off.
 * Planted: full restarts (sudo restart, systemctl restart, service stop + start), single-slot recycles
 * (MaxRequestsPerChild), a crash ("child pid N exit signal Segmentation fault (11)"), deleted access
 * lines (counter gaps), and one sudo command with no effect. Deterministic (seeded), pure.
 */
import { encodeUniqueId } from '../unique-id';

export type SyntheticTruth = Readonly<{
  fullRestarts: ReadonlyArray<Readonly<{ time: number; commandTime: number; user: string; command: string; downMs: number }>>;
  recycles: ReadonlyArray<Readonly<{ time: number; slot: number; oldPid: number; newPid: number }>>;
  crash: Readonly<{ time: number; slot: number; pid: number; newPid: number }>;
  noEffectCommand: Readonly<{ commandTime: number; command: string }>;
  /** What must be added to auth.log times to line them up with Apache (ms). */
  authOffsetMs: number;
  deletedLines: ReadonlyArray<Readonly<{ pid: number; count: number }>>;
  requests: ReadonlyArray<Readonly<{ time: number; pid: number; slot: number; counter: number; uid: string; deleted: boolean }>>;
  slots: number;
}>;

export type SyntheticCase = Readonly<{ files: Readonly<Record<string, string>>; truth: SyntheticTruth }>;

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number): string => String(n).padStart(2, '0');
const clf = (ms: number): string => {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
};
const ctime = (ms: number): string => {
  const d = new Date(ms);
  return `${DAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
};
const sys = (ms: number): string => {
  const d = new Date(ms);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};

export type SyntheticOptions = Readonly<{ seed?: number; start?: number; hours?: number; slots?: number; authOffsetMs?: number; meanGapMs?: number }>;

export function makeSyntheticApacheCase(options: SyntheticOptions = {}): SyntheticCase {
  let seed = options.seed ?? 4242;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const T0 = options.start ?? Date.UTC(2010, 3, 19, 6, 0, 0);
  const H = 3_600_000;
  const hours = options.hours ?? 30;
  const slots = options.slots ?? 6;
  const meanGap = options.meanGapMs ?? 8_000;
  const authOffsetMs = options.authOffsetMs ?? 37_000; // auth.log's clock runs 37 s behind Apache's

  const fullRestarts = [
    { time: T0 + 5 * H + 13 * 60_000 + 7_000, user: 'alice', command: '/etc/init.d/apache2 restart', downMs: 1_000 },
    { time: T0 + 12 * H + 41 * 60_000 + 44_000, user: 'bob', command: '/bin/systemctl restart apache2', downMs: 1_000 },
    { time: T0 + 20 * H + 2 * 60_000 + 30_000, user: 'alice', command: '/usr/sbin/service apache2 stop', downMs: 75_000 },
  ];
  const recycles = [
    { time: T0 + 3 * H + 20 * 60_000, slot: 1 },
    { time: T0 + 16 * H + 5 * 60_000, slot: 4 },
  ];
  const crashSpec = { time: T0 + 9 * H + 30 * 60_000 + 12_000, slot: 2 };
  const noEffect = { commandTime: T0 + 24 * H + 10 * 60_000, command: '/usr/sbin/service apache2 start' };

  let nextPid = 3100;
  const pids = Array.from({ length: slots }, () => nextPid++);
  const counters = new Map<number, number>();
  const counterOf = (pid: number): number => {
    const c = counters.get(pid) ?? Math.floor(rnd() * 65536);
    counters.set(pid, (c + 1) & 0xffff);
    return c;
  };
  const access: Array<[number, string]> = [];
  const error: Array<[number, string]> = [];
  const auth: Array<[number, string]> = [];
  const requests: Array<{ time: number; pid: number; slot: number; counter: number; uid: string; deleted: boolean }> = [];
  const recycleTruth: Array<{ time: number; slot: number; oldPid: number; newPid: number }> = [];
  let crashTruth = { time: crashSpec.time, slot: crashSpec.slot, pid: 0, newPid: 0 };

  type Ev = { t: number; apply: () => void };
  const evs: Ev[] = [];
  for (const r of fullRestarts) {
    evs.push({
      t: r.time,
      apply: () => {
        if (r.downMs > 10_000) {
          error.push([r.time, `[${ctime(r.time)}] [notice] caught SIGTERM, shutting down`]);
        } else {
          error.push([r.time, `[${ctime(r.time)}] [notice] SIGHUP received.  Attempting to restart`]);
        }
        error.push([r.time + r.downMs, `[${ctime(r.time + r.downMs)}] [notice] Apache/2.2.14 (Ubuntu) PHP/5.3.2 configured -- resuming normal operations`]);
        for (let s = 0; s < slots; s++) {
          nextPid += 1 + Math.floor(rnd() * 5);
          pids[s] = nextPid;
        }
      },
    });
  }
  for (const rc of recycles) {
    evs.push({
      t: rc.time,
      apply: () => {
        const old = pids[rc.slot] ?? 0;
        nextPid += 1 + Math.floor(rnd() * 5);
        pids[rc.slot] = nextPid;
        recycleTruth.push({ time: rc.time, slot: rc.slot, oldPid: old, newPid: nextPid });
      },
    });
  }
  evs.push({
    t: crashSpec.time,
    apply: () => {
      const old = pids[crashSpec.slot] ?? 0;
      error.push([crashSpec.time, `[${ctime(crashSpec.time)}] [notice] child pid ${old} exit signal Segmentation fault (11)`]);
      nextPid += 1 + Math.floor(rnd() * 5);
      pids[crashSpec.slot] = nextPid;
      crashTruth = { time: crashSpec.time, slot: crashSpec.slot, pid: old, newPid: nextPid };
    },
  });
  evs.sort((a, b) => a.t - b.t);

  // Traffic: every slot is busy enough to be seen several times an hour.
  const clients = Array.from({ length: 40 }, (_, i) => `198.51.100.${10 + i}`);
  const paths = ['/', '/index.php', '/about.html', '/news.php?id=7', '/static/site.css', '/images/logo.png', '/login.php'];
  let t = T0;
  let e = 0;
  let downUntil = 0;
  while (t < T0 + hours * H) {
    while (e < evs.length && (evs[e]?.t ?? Infinity) <= t) {
      const ev = evs[e];
      ev?.apply();
      const fr = fullRestarts.find((r) => r.time === ev?.t);
      if (fr !== undefined) {
        downUntil = fr.time + fr.downMs;
      }
      e++;
    }
    if (t >= downUntil) {
      const slot = Math.floor(rnd() * slots);
      const pid = pids[slot] ?? 0;
      const counter = counterOf(pid);
      const uid = encodeUniqueId('classic', { stamp: Math.floor(t / 1000), ip: '10.0.0.5', pid, counter, thread: slot });
      const ip = clients[Math.floor(rnd() * clients.length)] ?? '198.51.100.9';
      const path = paths[Math.floor(rnd() * paths.length)] ?? '/';
      requests.push({ time: t, pid, slot, counter, uid, deleted: false });
      access.push([t, `${ip} - - [${clf(t)}] "GET ${path} HTTP/1.1" 200 ${200 + Math.floor(rnd() * 9000)} "-" "Mozilla/5.0 (X11; Linux x86_64)" ${uid}`]);
    }
    t += 1_000 + Math.floor(rnd() * 2 * meanGap);
  }

  // Lines deleted from the access log: five requests of one long-lived child, mid-life.
  const victim = requests[Math.floor(requests.length * 0.3)]?.pid ?? 0;
  const ofVictim = requests.map((r, i) => [r, i] as const).filter(([r]) => r.pid === victim);
  const mid = Math.floor(ofVictim.length / 2);
  const deleted = new Set(ofVictim.slice(mid, mid + 5).map(([, i]) => i));
  for (const i of deleted) {
    const r = requests[i];
    if (r !== undefined) {
      r.deleted = true;
    }
  }
  const accessKept = access.filter((_, i) => !deleted.has(i));

  // auth.log, written by a clock `authOffsetMs` behind.
  const a = (trueMs: number, text: (s: string) => string): void => {
    auth.push([trueMs, text(sys(trueMs - authOffsetMs))]);
  };
  let sshPid = 5200;
  const session = (user: string, at: number, from: string): void => {
    sshPid += 7;
    a(at, (s) => `${s} web sshd[${sshPid}]: Accepted publickey for ${user} from ${from} port ${40000 + sshPid} ssh2`);
    a(at, (s) => `${s} web sshd[${sshPid}]: pam_unix(sshd:session): session opened for user ${user} by (uid=0)`);
  };
  const truthRestarts = fullRestarts.map((r, i) => {
    const from = r.user === 'alice' ? '192.0.2.7' : '192.0.2.99';
    session(r.user, r.time - (3 + i) * 60_000, from);
    const commandTime = r.time; // the signal follows the command within the same second
    a(commandTime, (s) => `${s} web sudo:    ${r.user} : TTY=pts/${i} ; PWD=/home/${r.user} ; USER=root ; COMMAND=${r.command}`);
    a(commandTime, (s) => `${s} web sudo: pam_unix(sudo:session): session opened for user root by ${r.user}(uid=1000)`);
    if (r.downMs > 10_000) {
      const start = r.time + r.downMs;
      a(start, (s) => `${s} web sudo:    ${r.user} : TTY=pts/${i} ; PWD=/home/${r.user} ; USER=root ; COMMAND=/usr/sbin/service apache2 start`);
    }
    return { ...r, commandTime };
  });
  session('bob', noEffect.commandTime - 120_000, '192.0.2.99');
  a(noEffect.commandTime, (s) => `${s} web sudo:    bob : TTY=pts/5 ; PWD=/home/bob ; USER=root ; COMMAND=${noEffect.command}`);

  const sortText = (xs: Array<[number, string]>): string => `${xs.slice().sort((x, y) => x[0] - y[0]).map((x) => x[1]).join('\n')}\n`;
  return {
    files: {
      'var/log/apache2/access.log': sortText(accessKept),
      'var/log/apache2/error.log': sortText(error),
      'var/log/auth.log': sortText(auth),
    },
    truth: {
      fullRestarts: truthRestarts,
      recycles: recycleTruth,
      crash: crashTruth,
      noEffectCommand: noEffect,
      authOffsetMs,
      deletedLines: [{ pid: victim, count: deleted.size }],
      requests,
      slots,
    },
  };
}
