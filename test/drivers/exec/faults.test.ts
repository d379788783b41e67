import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { capMarker, LINE_CUT } from '../../../src/drivers/exec/index.js';
import { exitWithSignal, startFakeSsh, startSilentServer, type FakeSsh } from '../../support/fake-ssh.js';
import { makeDriver, outputOf, testHome, until } from './helpers.js';

// Faults a real sshd cannot produce on demand, from ssh2's in-process server.
describe('faults (in-process SSH server)', () => {
  let fake: FakeSsh;
  const h = testHome();
  const host = () => ({ host: '127.0.0.9', port: fake.port });
  const label = () => `127.0.0.9:${fake.port}`;
  beforeAll(async () => {
    fake = await startFakeSsh('127.0.0.9', (command, ch, conn) => {
      if (command === 'ok') {
        ch.write('fine\n');
        ch.exit(0);
        ch.end();
      } else if (command === 'drop') {
        ch.write('partial\n', () => conn.drop());
      } else if (command === 'no-exit') {
        ch.end();
      } else if (command === 'hang') {
        conn.onSignal = (name, c) => {
          c.write(`got ${name}\n`);
          c.exit(name);
          c.end();
        };
      } else if (command === 'evil-signal') {
        exitWithSignal(ch, '\x1b]0;PWNED\x07\x1b[2JKILL');
        ch.end();
      } else if (command === 'hostile') {
        ch.write('\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\x1b[H\x1b[5;10H\x1b]0;owned\x07visible\x1b[31m red\x1b[0m\n');
        ch.stderr.write('\x1b]2;title\x1b\\\x1b[1Aerr line\n');
        const chunk = Buffer.alloc(64 * 1024, 'A');
        let left = 160; // 10 MiB without a newline
        const pump = () => {
          while (left > 0) {
            left--;
            if (!ch.write(chunk)) return void ch.once('drain', pump);
          }
          ch.exit(0);
          ch.end();
        };
        pump();
      }
    });
    writeFileSync(h.knownHosts, fake.knownHosts);
  });
  afterAll(async () => {
    await fake?.stop();
    rmSync(h.home, { recursive: true, force: true });
  });

  it('reports a connection dropped mid-command as lost, outcome unknown, with the output so far', async () => {
    const { driver, events } = makeDriver(h);
    const r = await driver.runRemote({ step: 'f', hosts: [host()], command: 'drop' });
    await driver.closeAll();
    expect(r.results[0]).toMatchObject({
      status: 'failed',
      code: null,
      error: `${label()}: the connection was lost while the command ran; its outcome is unknown`,
    });
    expect(outputOf(events, label())).toBe('partial\n');
  });

  it('reconnects once when an idle connection was dropped', async () => {
    const { driver } = makeDriver(h);
    const n0 = fake.connections.length;
    expect((await driver.runRemote({ step: 'a', hosts: [host()], command: 'ok' })).ok).toBe(true);
    fake.connections.at(-1)!.drop();
    await until(() => driver.connections === 0, 'the client to notice the drop');
    expect((await driver.runRemote({ step: 'b', hosts: [host()], command: 'ok' })).ok).toBe(true);
    await driver.closeAll();
    expect(fake.connections.length - n0).toBe(2);
  });

  it('replaces a reused connection found dead when the command opens (it never ran), once', async () => {
    const { driver } = makeDriver(h);
    const n0 = fake.connections.length;
    expect((await driver.runRemote({ step: 'a', hosts: [host()], command: 'ok' })).ok).toBe(true);
    fake.hangUpOnSession = (c) => c.n === n0 + 1 && c.sessions === 2;
    const r = await driver.runRemote({ step: 'b', hosts: [host()], command: 'ok' });
    fake.hangUpOnSession = undefined;
    await driver.closeAll();
    expect(r.results[0].status).toBe('ok');
    expect(fake.connections.length - n0).toBe(2);
  });

  it('does not retry on a fresh connection that dies when the command opens', async () => {
    const { driver } = makeDriver(h);
    const n0 = fake.connections.length;
    fake.hangUpOnSession = () => true;
    const r = await driver.runRemote({ step: 'c', hosts: [host()], command: 'ok' });
    fake.hangUpOnSession = undefined;
    await driver.closeAll();
    expect(r.results[0]).toMatchObject({ status: 'error', error: expect.stringContaining('could not start the command') });
    expect(fake.connections.length - n0).toBe(1);
  });

  it('records the signal when the server acts on TERM after a timeout', async () => {
    const { driver, events } = makeDriver(h);
    const r = await driver.runRemote({ step: 't', hosts: [host()], command: 'hang', timeout: 300 });
    await driver.closeAll();
    expect(r.results[0]).toMatchObject({ status: 'failed', code: null, signal: 'SIGTERM', error: 'timed out after 300ms' });
    expect(outputOf(events, label())).toBe('got TERM\n');
  });

  it('says so when a command ends without an exit status', async () => {
    const { driver } = makeDriver(h);
    const r = await driver.runRemote({ step: 'n', hosts: [host()], command: 'no-exit' });
    await driver.closeAll();
    expect(r.results[0]).toMatchObject({ status: 'failed', code: null, error: `${label()}: the command ended without an exit status` });
  });

  it('sanitizes hostile output and caps 10 MB without a newline', async () => {
    const { driver, events } = makeDriver(h);
    const r = await driver.runRemote({ step: 'h', hosts: [host()], command: 'hostile' });
    await driver.closeAll();
    expect(r.results[0].code).toBe(0);
    const out = outputOf(events, label());
    const err = outputOf(events, label(), 'stderr');
    expect(out + err).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(out.startsWith('visible red\n')).toBe(true);
    expect(err).toBe('err line\n');
    const lines = out.split('\n');
    expect(lines[1]).toBe('A'.repeat(4096) + LINE_CUT);
    expect(lines[2]).toBe(capMarker(1024 * 1024));
    expect(lines).toHaveLength(4);
    const outputs = events.filter((e) => e.type === 'command/output');
    expect(outputs.length).toBeLessThan(10);
  });

  it('times out a command whose exec request the host never answers, instead of waiting forever', async () => {
    const { driver } = makeDriver(h);
    fake.onExecRequest = (command) => (command === 'held' ? 'hold' : undefined);
    const t0 = Date.now();
    const r = await driver.runRemote({ step: 'held', hosts: [host()], command: 'held', timeout: 300 });
    fake.onExecRequest = undefined;
    await driver.closeAll();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.results[0]).toMatchObject({
      status: 'failed',
      code: null,
      error: expect.stringMatching(/^timed out after 300ms; .* may still run there$/),
    });
  });

  it('cancels a command whose exec request the host never answers', async () => {
    const { driver } = makeDriver(h);
    fake.onExecRequest = (command) => (command === 'held' ? 'hold' : undefined);
    const n0 = fake.execRequests;
    const ac = new AbortController();
    const p = driver.runRemote({ step: 'heldc', hosts: [host()], command: 'held', signal: ac.signal });
    await until(() => fake.execRequests > n0, 'the exec request to reach the host');
    ac.abort();
    const r = await p;
    fake.onExecRequest = undefined;
    await driver.closeAll();
    expect(r.results[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^cancelled; /) });
  });

  it('a reused connection lost right after the exec request: outcome unknown, never re-run', async () => {
    const { driver } = makeDriver(h);
    expect((await driver.runRemote({ step: 'a', hosts: [host()], command: 'ok' })).ok).toBe(true);
    const n0 = fake.execRequests;
    fake.onExecRequest = (command) => (command === 'once' ? 'drop' : undefined);
    const r = await driver.runRemote({ step: 'b', hosts: [host()], command: 'once' });
    fake.onExecRequest = undefined;
    await driver.closeAll();
    expect(fake.execRequests - n0).toBe(1);
    expect(r.results[0]).toMatchObject({
      status: 'failed',
      code: null,
      error: `${label()}: the connection was lost as the command was starting; it may have run, its outcome is unknown`,
    });
  });

  it('strips control sequences from a signal name the host sends', async () => {
    const { driver, events } = makeDriver(h);
    const r = await driver.runRemote({ step: 'sg', hosts: [host()], command: 'evil-signal' });
    await driver.closeAll();
    expect(r.results[0]).toMatchObject({ status: 'failed', code: null, signal: 'SIGKILL' });
    expect(JSON.stringify(events)).not.toMatch(/\\u001b|PWNED/);
  });

  it('closeAll abandons a jump host that never opens the channel to the target', async () => {
    const { driver } = makeDriver(h, { runbook: { ssh: { jump: `127.0.0.9:${fake.port}`, connectTimeout: 20_000 } } });
    fake.holdTcpip = true;
    const n0 = fake.tcpipRequests;
    const p = driver.runRemote({ step: 'jh', hosts: [{ host: '127.0.0.10', port: 22 }], command: 'true' });
    await until(() => fake.tcpipRequests > n0, 'the forwarding request to reach the jump host');
    const t0 = Date.now();
    await driver.closeAll();
    const r = await p;
    fake.holdTcpip = false;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.results[0].status).toBe('error');
  });

  it('gives up on a host that accepts TCP but never completes the handshake, without hanging', async () => {
    const silent = await startSilentServer('127.0.0.9');
    const { driver } = makeDriver(h, { runbook: { ssh: { connectTimeout: 500 } } });
    const t0 = Date.now();
    const r = await driver.runRemote({ step: 's', hosts: [{ host: '127.0.0.9', port: silent.port }], command: 'true' });
    await driver.closeAll();
    await silent.stop();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.results[0]).toMatchObject({
      status: 'error',
      error: `127.0.0.9:${silent.port}: no SSH handshake with 127.0.0.9:${silent.port} within 0.5s (connectTimeout); the host may be down, firewalled or overloaded`,
    });
  });

  it('closeAll abandons a connection still in its handshake instead of waiting for the timeout', async () => {
    const silent = await startSilentServer('127.0.0.9');
    const { driver } = makeDriver(h, { runbook: { ssh: { connectTimeout: 20_000 } } });
    const p = driver.runRemote({ step: 'q', hosts: [{ host: '127.0.0.9', port: silent.port }], command: 'true' });
    await until(() => silent.accepted() > 0, 'the connection to reach the silent host'); // the handshake has begun
    const t0 = Date.now();
    await driver.closeAll();
    const r = await p;
    await silent.stop();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.results[0].status).toBe('error');
  });
});
