// --metrics-listen: loopback unless an address is written out (and then a warning), a port in use
// stops the command before anything runs, a scrape that fails answers 500 and the listener goes on.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseListen } from '../../src/metrics/listen.js';
import { listenMetrics } from '../../src/metrics/server.js';
import { sessionSeries } from '../../src/metrics/series.js';
import { initialState } from '../../src/core/index.js';
import { captureIo } from '../support/io.js';
import { freePort, waitFor } from '../support/prometheus.js';
import { scrape, sampleOf } from './scrape.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-metrics-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = () => ({ XDG_STATE_HOME: join(dir, 'state'), USER: 'erin', PATH: process.env.PATH, HOME: dir });
const sessions = () => join(dir, 'state', 'cutover', 'sessions');

/** A runbook whose one step waits until `file` exists (or just echoes when there is none). */
function runbookFile(name: string, file?: string): string {
  const path = join(dir, `${name}.yaml`);
  const step = file
    ? `{ id: wait-file, title: Wait for the test, local: { command: [sh, -c, 'while [ ! -e "$0" ]; do sleep 0.05; done', "${file}"], timeout: 60s } }`
    : '{ id: hello, title: Say hello, local: { command: [echo, hello] } }';
  writeFileSync(path, `name: ${name}\nphases:\n  - id: one\n    title: One\n    steps:\n      - ${step}\n`);
  return path;
}

/** Resolves true when something accepts a TCP connection at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
const outward = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('--metrics-listen values', () => {
  it.each([
    ['9464', { host: '127.0.0.1', port: 9464, scope: 'loopback' }],
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464, scope: 'loopback' }],
    ['localhost:9464', { host: '127.0.0.1', port: 9464, scope: 'loopback' }],
    ['[::1]:9464', { host: '::1', port: 9464, scope: 'loopback' }],
    ['10.0.0.5:9464', { host: '10.0.0.5', port: 9464, scope: 'interface' }],
    ['0.0.0.0:9464', { host: '0.0.0.0', port: 9464, scope: 'any' }],
    ['[::]:9464', { host: '::', port: 9464, scope: 'any' }],
  ])('%s is %o', (text, want) => {
    expect(parseListen(text)).toEqual(want);
  });

  it.each([
    [':9464', /write 0\.0\.0\.0:9464 to listen on every interface, or 9464 for 127\.0\.0\.1/],
    ['db.internal:9464', /takes PORT \(127\.0\.0\.1:PORT\).*not 'db\.internal:9464'/],
    ['70000', /the port is a number from 1 to 65535/],
    ['0', /the port is a number from 1 to 65535/],
    ['[127.0.0.1]:80', /not '\[127\.0\.0\.1\]:80'/],
  ])('%s is a usage mistake: exit 64, one line', async (text, why) => {
    const io = captureIo(env());
    expect(await runCli(['run', '-f', runbookFile('usage'), '--metrics-listen', text], io)).toBe(64);
    expect(io.stderr()).toMatch(why);
    expect(io.stderr().trim().split('\n')).toHaveLength(1);
  });
});

describe('cutover run --metrics-listen', () => {
  it('a bare PORT listens on 127.0.0.1 only, serves the session while it runs, and closes when it ends', async () => {
    const port = await freePort();
    const go = join(dir, 'go');
    const io = captureIo(env());
    const run = runCli(['run', '-f', runbookFile('loopback', go), '--metrics-listen', String(port)], io);
    const url = `http://127.0.0.1:${port}/metrics`;
    const m = await waitFor(async () => {
      const s = await scrape(url);
      return sampleOf(s, 'cutover_step_state', { step: 'wait-file', state: 'running' }) === 1 ? s : undefined;
    }, 'the step running in the scraped metrics');
    expect(sampleOf(m, 'cutover_session_info', { runbook: 'loopback', operator: 'erin', mode: 'live' })).toBe(1);
    expect(io.stderr()).toBe(`cutover run: metrics at http://127.0.0.1:${port}/metrics\n`);
    // Bound to loopback: the machine's other address does not answer on that port.
    if (outward) expect(await accepts(outward, port)).toBe(false);
    else console.warn('no non-loopback IPv4 address on this machine: the outward check is skipped');
    writeFileSync(go, '');
    expect(await run).toBe(0);
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });

  it('a port in use: one line, exit 69, and nothing ran (no journal)', async () => {
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const io = captureIo(env());
      const before = existsSync(sessions()) ? readdirSync(sessions()).length : 0;
      expect(await runCli(['run', '-f', runbookFile('in-use'), '--metrics-listen', String(port)], io)).toBe(69);
      expect(io.stderr()).toBe(
        `cutover run: --metrics-listen 127.0.0.1:${port}: the port is in use (EADDRINUSE); pick another port, or stop what listens there; nothing was run\n`,
      );
      expect(io.stdout()).toBe('');
      expect(existsSync(sessions()) ? readdirSync(sessions()).length : 0).toBe(before);
      // The demo binds before its fleet starts: the same line, nothing started.
      const demo = captureIo(env());
      expect(await runCli(['demo', '--metrics-listen', String(port)], demo)).toBe(69);
      expect(demo.stderr()).toMatch(
        /^cutover demo: --metrics-listen 127\.0\.0\.1:\d+: the port is in use \(EADDRINUSE\).*nothing was run\n$/,
      );
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('0.0.0.0:PORT written out is taken, with a one-line warning', async () => {
    const port = await freePort();
    const io = captureIo(env());
    expect(await runCli(['run', '-f', runbookFile('any'), '--metrics-listen', `0.0.0.0:${port}`], io)).toBe(0);
    const lines = io.stderr().split('\n');
    expect(lines[0]).toBe(
      `cutover run: warning: metrics on every interface (0.0.0.0:${port}): anyone who reaches this machine can read them (the runbook, the operator, step, gate and rollback states; there is no authentication)`,
    );
    expect(lines[1]).toBe(`cutover run: metrics at http://0.0.0.0:${port}/metrics`);
  });
});

describe('a scrape that fails', () => {
  it('answers 500 with one line, and the listener goes on serving', async () => {
    let broken = true;
    const series = sessionSeries(() => ({
      state: () => {
        if (broken) throw new Error('state unavailable\nsecond line');
        return initialState();
      },
      now: () => 0,
      connections: () => 0,
      notRecording: () => undefined,
    }));
    const server = await listenMetrics({ host: '127.0.0.1', port: 0, scope: 'loopback' }, series.registry);
    try {
      expect(server.address.host).toBe('127.0.0.1');
      const res = await fetch(server.url);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('cutover: the metrics could not be computed: state unavailable\n');
      broken = false;
      expect(sampleOf(await scrape(server.url), 'cutover_ssh_connections')).toBe(0);
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
