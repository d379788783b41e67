// The simulated fleet through cutover's own SSH driver: host keys verified against the temporary
// known_hosts, only this run's key accepted, commands run in the host's sandbox with the fixture
// tools, exit codes and cancellation as on a real host, the simulation following the sandboxes,
// and nothing left once the cleanup has run.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SimApp } from '../../src/demo/app.js';
import { Cleanup } from '../../src/demo/cleanup.js';
import { startFleet, type Fleet } from '../../src/demo/fleet.js';
import { newKeyPair } from '../../src/demo/keys.js';
import { planFleet } from '../../src/demo/plan.js';
import { recordingContext } from '../../src/drivers/context.js';
import { ExecDriver } from '../../src/drivers/exec/executor.js';
import { loadRunbookText, type Runbook } from '../../src/runbook/index.js';
import { tempDir } from '../support/sshd.js';

const RUNBOOK = `name: fleet test
rollback: { levels: [{ id: back, title: Back to v1.0.0, steps: [{ id: b, title: b, manual: true }] }] }
hosts:
  blue: [b1.internal]
  green: [g1.internal]
  lb: [lb1.internal]
phases: [{ id: p, title: p, steps: [{ id: s, title: s, manual: true }] }]
`;

describe('demo fleet', () => {
  let fleet: Fleet;
  let cleanup: Cleanup;
  let root: string;
  let parent: string;
  let rb: Runbook;
  const ctx = recordingContext();
  let driver: ExecDriver;
  const run = async (host: string, command: string, signal?: AbortSignal) =>
    (await driver.runRemote({ step: 't', hosts: [{ host }], command, ...(signal ? { signal } : {}) })).results[0];
  const output = (host: string) =>
    ctx.events
      .filter((e) => e.type === 'command/output' && e.host === host)
      .map((e) => (e as { text: string }).text)
      .join('\n');

  beforeAll(async () => {
    const loaded = loadRunbookText('fleet.yaml', RUNBOOK);
    expect(loaded.problems).toEqual([]);
    const plan = planFleet(loaded.runbook!);
    parent = tempDir('cutover-demo-fleet-');
    root = join(parent, 'root');
    cleanup = new Cleanup({ hook: false });
    fleet = await startFleet({ plan, scenario: 'degrade', root, metrics: 'simulated', env: process.env, cleanup });
    rb = {
      ...loaded.runbook!,
      hosts: { blue: [{ host: 'b1.internal' }], green: [{ host: 'g1.internal' }], lb: [{ host: 'lb1.internal' }] },
      ssh: { user: 'deploy', identityFile: fleet.ssh.identityFile, knownHosts: fleet.ssh.knownHosts, jump: 'none' },
    };
    driver = new ExecDriver({
      ctx,
      runbook: rb,
      env: { PATH: process.env.PATH, HOME: fleet.ssh.home },
      home: fleet.ssh.home,
      killGrace: 500,
    });
  });

  afterAll(async () => {
    await driver?.closeAll();
    await cleanup?.run();
    rmSync(parent, { recursive: true, force: true });
  });

  it('runs commands in the host sandbox with the tools first on PATH, exit codes included', async () => {
    const r = await run('b1.internal', 'pwd; command -v lbctl; echo "user=$USER"; echo oops >&2; exit 7');
    expect(r).toMatchObject({ host: 'b1.internal', code: 7, status: 'failed' });
    const out = output('b1.internal');
    expect(out).toContain(join(root, 'hosts', 'b1.internal'));
    expect(out).toContain(join(root, 'tools', 'lbctl'));
    expect(out).toContain('user=deploy');
    expect(ctx.events.some((e) => e.type === 'command/output' && e.stream === 'stderr' && e.text.includes('oops'))).toBe(true);
  });

  it('the tools change the sandbox, and the simulation follows: 50% on the new release breaks it', async () => {
    expect(await run('b1.internal', 'release activate v9.9.9')).toMatchObject({ code: 1 });
    expect(output('b1.internal')).toMatch(/v9\.9\.9 is not installed on b1\.internal; run 'release install v9\.9\.9' first/);
    expect(await run('lb1.internal', 'lbctl weight purple 10')).toMatchObject({ code: 1 });
    expect(await run('g1.internal', 'lbctl show')).toMatchObject({ code: 1 });
    expect(output('g1.internal')).toMatch(/g1\.internal is a app host; this needs a host of role: lb/);
    expect(await run('b1.internal', 'release install v2.0.0 && release activate v2.0.0 && health')).toMatchObject({ code: 0 });
    expect(output('b1.internal')).toMatch(/b1\.internal: ok \(v2\.0\.0, 0% of traffic/);
    expect(fleet.simulation.status()).toMatchObject({ newShare: 0, broken: false });
    expect(await run('lb1.internal', 'lbctl weight blue 50')).toMatchObject({ code: 0 });
    expect(readFileSync(join(root, 'hosts', 'lb1.internal', 'lb', 'weights'), 'utf8')).toBe('blue 50\ngreen 50\n');
    await expect.poll(() => fleet.simulation.status().broken).toBe(true);
    // The app reports twice a second; the deep check sees the breakage in its next report.
    await expect.poll(async () => (await run('b1.internal', 'health --deep')).code).toBe(1);
    // Flags off and a restart take the new code out of the path, as a feature toggle should.
    expect(await run('b1.internal', 'flags set FEATURE_NEW=off && service restart && health --deep')).toMatchObject({ code: 0 });
    expect(fleet.simulation.status()).toMatchObject({ newShare: 0, broken: false });
  });

  it('backs up and restores the host state', async () => {
    expect(
      await run(
        'g1.internal',
        'flags set FEATURE_A=on && backup create t && flags set FEATURE_A=off && restore latest && flags get FEATURE_A',
      ),
    ).toMatchObject({ code: 0 });
    expect(output('g1.internal')).toMatch(/restored t-.*\.tar\.gz \(release v1\.0\.0\)/);
    expect(output('g1.internal').trim().split('\n').at(-1)).toBe('on');
  });

  it('tools fail (exit non-zero) on a bad argument instead of carrying on with an empty one', async () => {
    expect(await run('g1.internal', 'release install not-a-version')).toMatchObject({ code: 1 });
    expect(existsSync(join(root, 'hosts', 'g1.internal', 'releases', 'VERSION'))).toBe(false);
    expect(await run('g1.internal', 'release build "v1 x/../y"; release activate oops')).toMatchObject({ code: 1 });
    expect(await run('g1.internal', "flags get 'A/B'")).toMatchObject({ code: 1 });
  });

  it('keeps flag values with spaces and backslashes as written', async () => {
    expect(await run('g1.internal', `flags set 'MOTD=a\\nb  "c"' && flags get MOTD`)).toMatchObject({ code: 0 });
    expect(readFileSync(join(root, 'hosts', 'g1.internal', '.env'), 'utf8')).toContain('MOTD=a\\nb  "c"\n');
  });

  it('curl sends localhost:3000 to the host app and leaves other ports alone', async () => {
    const app = fleet.hosts.find((h) => h.name === 'g1.internal')!.appPort;
    const probe = (url: string) =>
      run('g1.internal', `curl -s -o /dev/null --max-time 2 -w 'effective=%{url_effective}\\n' '${url}'; true`);
    await probe('http://localhost:3000/healthz');
    expect(output('g1.internal')).toContain(`effective=http://127.0.0.1:${app}/healthz`);
    await probe('http://127.0.0.1:30001/x');
    expect(output('g1.internal')).toContain('effective=http://127.0.0.1:30001/x');
    await probe('http://localhost:30000/y');
    expect(output('g1.internal')).toContain('effective=http://localhost:30000/y');
  });

  it('cancelling a command ends its whole process group on the host', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const again = await run('g1.internal', 'sleep 33.75 & sleep 34.5', ac.signal);
    expect(again.status).not.toBe('ok');
    await expect
      .poll(() => readdirSync('/proc').some((p) => /^\d+$/.test(p) && safeRead(`/proc/${p}/cmdline`).includes('sleep\u000034.5')), {
        timeout: 5000,
      })
      .toBe(false);
  }, 60_000);

  it('verifies host keys: a host presenting another key than known_hosts holds is refused', async () => {
    const kh = readFileSync(fleet.ssh.knownHosts, 'utf8');
    const other = newKeyPair('impostor').public;
    const file = join(root, 'known_hosts.tampered');
    writeFileSync(file, kh.replace(/^g1\.internal .*$/m, `g1.internal ${other}`));
    const strict = new ExecDriver({
      ctx,
      runbook: { ...rb, ssh: { ...rb.ssh, knownHosts: file } },
      env: { HOME: fleet.ssh.home },
      home: fleet.ssh.home,
    });
    const r = (await strict.runRemote({ step: 'k', hosts: [{ host: 'g1.internal' }], command: 'true' })).results[0];
    await strict.closeAll();
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/SHA256:/);
  });

  it('accepts only the key generated for this run', async () => {
    const port = fleet.hosts.find((h) => h.name === 'g1.internal')!.port;
    const stranger = newKeyPair('stranger');
    const err = await new Promise<Error>((resolve) => {
      const c = new ssh2.Client();
      c.on('ready', () => {
        c.end();
        resolve(new Error('accepted'));
      });
      c.on('error', resolve);
      c.connect({ host: '127.0.0.1', port, username: 'deploy', privateKey: stranger.private });
    });
    expect(err.message).toMatch(/authentication methods failed/);
  });

  it('cleanup stops every server and removes the temporary directory', async () => {
    await driver.closeAll();
    await cleanup.run();
    expect(existsSync(root)).toBe(false);
    const port = fleet.hosts[0].port;
    const refused = await new Promise<string>((resolve) => {
      const c = new ssh2.Client();
      c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      c.on('ready', () => resolve('connected'));
      c.connect({ host: '127.0.0.1', port, username: 'x', readyTimeout: 2000 });
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(
      await fetch(`${fleet.metrics.url}/-/ready`).then(
        () => 'up',
        () => 'down',
      ),
    ).toBe('down');
  });
});

function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

describe('demo fleet that fails to start', () => {
  it('closes the apps that did listen when another one cannot', async () => {
    const loaded = loadRunbookText('fleet.yaml', RUNBOOK);
    const parent = tempDir('cutover-demo-fleet-fail-');
    const cleanup = new Cleanup({ hook: false });
    const listen = SimApp.prototype.listen;
    const ports: number[] = [];
    let calls = 0;
    let firstListening!: () => void;
    const first = new Promise<void>((resolve) => (firstListening = resolve));
    const spy = vi.spyOn(SimApp.prototype, 'listen').mockImplementation(async function (this: SimApp, health) {
      if (++calls === 2) {
        await first;
        throw new Error('EADDRINUSE (injected)');
      }
      const port = await listen.call(this, health);
      ports.push(port);
      if (calls >= 1) firstListening();
      return port;
    });
    try {
      const started = startFleet({
        plan: planFleet(loaded.runbook!),
        scenario: 'healthy',
        root: join(parent, 'root'),
        metrics: 'simulated',
        env: process.env,
        cleanup,
      });
      await expect(started).rejects.toThrow(/injected/);
      await cleanup.run();
    } finally {
      spy.mockRestore();
      rmSync(parent, { recursive: true, force: true });
    }
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) {
      const r = await new Promise<string>((resolve) => {
        const c = connect(port, '127.0.0.1', () => (c.destroy(), resolve('connected')));
        c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });
      expect(r, `app port ${port}`).toBe('ECONNREFUSED');
    }
  });
});
