/**
 * Test-only preload (`node --require electron/testing/network-recorder.cjs …`): records every outbound
 * network attempt of the process and of its worker threads to the JSON-lines file named by
 * DOSSIER_NET_LOG: TCP/TLS connects (net.Socket#connect, which http, https, fetch and tls use),
 * DNS look-ups and resolves, UDP sockets. Unix-socket/pipe connects are recorded as local. It never
 * blocks anything: the test reads the log and fails on any attempt to a non-loopback address.
 * Each thread that loads it writes one `loaded` line, so the test can check it ran in the workers too.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload for `node --require` */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');
const { threadId } = require('node:worker_threads');

const logFile = process.env.DOSSIER_NET_LOG;

function record(kind, target, loopback) {
  if (logFile === undefined || logFile === '') {
    return;
  }
  fs.appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, threadId, kind, target: String(target), loopback })}\n`);
}

function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '') {
    return true; // net defaults to localhost
  }
  const h = String(host).toLowerCase().replace(/^\[|\]$/gu, '');
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('127.') || h.startsWith('::ffff:127.');
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options === 'string' && Number.isNaN(Number(options))) {
    record('ipc', options, true);
  } else if (typeof options === 'object' && options !== null && typeof options.path === 'string') {
    record('ipc', options.path, true);
  } else {
    const host = typeof options === 'object' && options !== null ? options.host : args[1];
    const port = typeof options === 'object' && options !== null ? options.port : options;
    record('connect', `${host ?? 'localhost'}:${port}`, isLoopbackHost(typeof host === 'string' ? host : undefined));
  }
  return originalConnect.apply(this, args);
};

for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveTxt', 'resolveSrv', 'resolveNs', 'reverse']) {
  for (const target of [dns, dns.promises]) {
    const original = target[name];
    if (typeof original === 'function') {
      target[name] = function patchedDns(host, ...rest) {
        record(`dns.${name}`, host, isLoopbackHost(host));
        return original.call(this, host, ...rest);
      };
    }
  }
}

const originalCreateSocket = dgram.createSocket;
dgram.createSocket = function patchedCreateSocket(...args) {
  record('udp', typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]), false);
  return originalCreateSocket.apply(this, args);
};

record('loaded', process.argv[1] ?? '', true);
