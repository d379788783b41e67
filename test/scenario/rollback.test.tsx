// A whole session against real sshd hosts and a real Prometheus, driven by the keys an operator
// presses: tick, run, go, then the error rate climbs, a trigger fires, and two keys roll back.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { sessionModel } from '../../src/ui/session-model.js';
import { startSession } from '../../src/cli/run/start.js';
import { loadRunbookFile } from '../../src/runbook/index.js';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import type { SessionEvent } from '../../src/core/index.js';
import type { Session } from '../../src/session/session.js';
import { needBinary } from '../support/binaries.js';
import { KEY, renderSized, type Rendered } from '../support/ink.js';
import { startMetricsApp, type MetricsApp } from '../support/metrics-app.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { makeKey, startSshd, tempDir, type Sshd } from '../support/sshd.js';

const prom = needBinary('prometheus', 'prometheus');
const sshdBin = needBinary('sshd', 'openssh-server');

describe.skipIf(!prom || !sshdBin)('scenario: deploy, trigger, rollback on real hosts', () => {
  let app: MetricsApp;
  let prometheus: PrometheusServer;
  let sshd: Sshd;
  let dir: string;
  let runbookFile: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = tempDir('cutover-scenario-');
    const home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    const key = makeKey(dir, 'id_ed25519');
    app = await startMetricsApp();
    [prometheus, sshd] = await Promise.all([
      startPrometheus({ bin: prom!, targets: [app.target] }),
      startSshd({ addresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4'], authorizedKeys: [key.pub] }),
    ]);
    writeFileSync(join(dir, 'known_hosts'), sshd.knownHosts(), { mode: 0o600 });
    const out = join(dir, 'out');
    mkdirSync(out);
    const hosts = sshd.addresses.map((a) => `"${a}:${sshd.port}"`).join(', ');
    runbookFile = join(dir, 'scenario.yaml');
    writeFileSync(
      runbookFile,
      `name: scenario deploy
prometheus: { url: "${prometheus.url}", interval: 1s, timeout: 2s }
ssh: { user: ${sshd.user}, identityFile: ${key.path}, knownHosts: ${join(dir, 'known_hosts')} }
hosts:
  web: [${hosts}]
health:
  - id: errors
    title: Error ratio
    query: sum(rate(http_requests_total{code=~"5.."}[5s])) / sum(rate(http_requests_total[5s]))
    unit: ratio
    crit: "> 0.1"
phases:
  - id: pre
    title: Before
    steps:
      - { id: ack, title: Announced, manual: true }
      - { id: deploy, title: Deploy v2, run: { on: web, command: "echo v2 >> ${out}/deploy-$(echo $SSH_CONNECTION | cut -d' ' -f3)", timeout: 20s } }
    gate: { title: Go to traffic? }
  - id: traffic
    title: Traffic
    steps:
      - { id: watch, title: Errors stay low, expect: { panel: errors, check: "< 0.1", within: 20s } }
rollback:
  levels:
    - id: revert
      title: Revert to v1
      expected: 1m
      steps:
        - { id: back, title: Activate v1, run: { on: web, command: "echo v1 >> ${out}/rollback-$(echo $SSH_CONNECTION | cut -d' ' -f3)", batch: 1 } }
  triggers:
    - { id: errors-high, when: "errors > 0.1", for: 2s, severity: critical, recommend: revert }
`,
    );
    env = { ...process.env, HOME: home, XDG_STATE_HOME: join(dir, 'state'), USER: 'alice' };
    await prometheus.waitForSeries('http_requests_total');
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([prometheus?.stop(), sshd?.stop(), app?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an operator runs the deploy, sees the trigger fire, and rolls back with two keys', async () => {
    const rb = loadRunbookFile(runbookFile);
    expect(rb.problems).toEqual([]);
    const { session, journalPath } = await startSession({
      runbook: rb.runbook!,
      runbookPath: runbookFile,
      runbookSha256: rb.sha256!,
      operator: 'alice',
      mode: 'live',
      env,
    });
    let r: Rendered | undefined;
    try {
      r = renderSized(
        <App
          model={sessionModel(session, { journalPath, onQuit: () => void session.end(session.outcome()) })}
          color={false}
          settleMs={0}
        />,
        160,
        48,
      );
      const frame = () => r!.lastFrame();
      await expect.poll(frame, { timeout: 15_000 }).toMatch(/Error ratio\s+0%\s+OK/);

      // Tick, run the deploy on three real hosts, say go.
      r.press(KEY.enter);
      await expect.poll(frame).toMatch(/✓ Announced/);
      // Each step that starts moves the cursor on to the next item.
      await expect.poll(frame).toMatch(/▸ ○ Deploy v2/);
      r.press(KEY.enter);
      await expect.poll(frame, { timeout: 20_000 }).toMatch(/✓ Deploy v2/);
      for (const a of sshd.addresses) expect(readFileSync(join(dir, 'out', `deploy-${a}`), 'utf8')).toBe('v2\n');
      await expect.poll(frame).toMatch(/▸ ◆ /);
      r.press(KEY.enter);
      r.press('g');
      r.press(KEY.enter);
      await expect.poll(frame).toMatch(/GO by alice/);

      // The new version misbehaves: the error ratio climbs past the check and holds for 2s.
      await app.set({ errorRate: 0.5 });
      await expect.poll(frame, { timeout: 30_000 }).toMatch(/Revert to v1.*◀ RECOMMENDED/);
      // The reason wraps under the level (never cut): value and condition in the panel's unit.
      await expect.poll(frame).toMatch(/why: errors-high \(critical\): Error ratio \d+(\.\d+)?%/);
      expect(frame()).toMatch(/Error ratio \d+(\.\d+)?%[^\n]*\n?[^\n]*> 10%[^\n]*\n?[^\n]*for 2s/);
      expect(existsSync(join(dir, 'out', `rollback-${sshd.addresses[0]}`))).toBe(false);

      // Two deliberate keys: R opens the plan, Y runs it.
      r.press('4');
      r.press('R');
      await expect.poll(frame).toMatch(/ROLL BACK: Revert to v1/);
      expect(frame()).toMatch(new RegExp(`on ${sshd.addresses.map((a) => `${a.replace(/\./g, '\\.')}:${sshd.port}`).join(', ')}`));
      r.press('Y');
      await expect.poll(frame, { timeout: 30_000 }).toMatch(/OK revert by alice/);
      for (const a of sshd.addresses) expect(readFileSync(join(dir, 'out', `rollback-${a}`), 'utf8')).toBe('v1\n');
      expect(frame()).toMatch(/127\.0\.0\.4:\d+\s+ok/);
      if (process.env.SHOW_FRAME) console.log(frame());

      r.press('q');
      r.press('y');
      await expect.poll(() => session.state.session?.outcome).toBe('rolled-back');
    } finally {
      r?.unmount();
      await session.end('aborted');
    }
    await assertJournal(journalPath, session, sshd.addresses.length);
  }, 120_000);
});

async function assertJournal(path: string, session: Session, hosts: number): Promise<void> {
  expect(verifyChain(path)).toMatchObject({ ok: true });
  const events = readJournal<SessionEvent>(path).entries.map((e) => e.event);
  expect(events.length).toBe(session.store.events().length);
  const firing = events.find((e) => e.type === 'trigger/firing');
  expect(firing).toMatchObject({ trigger: 'errors-high', check: '> 0.1' });
  expect(Number((firing as { value: number }).value)).toBeGreaterThan(0.1);
  expect(events.find((e) => e.type === 'gate/decided')).toMatchObject({ decision: 'go', operator: 'alice' });
  expect(events.find((e) => e.type === 'rollback/confirmed')).toMatchObject({ level: 'revert', operator: 'alice' });
  const exits = events.filter((e) => e.type === 'command/exited' && e.cmd.startsWith('back'));
  expect(exits).toHaveLength(hosts);
  for (const e of exits) expect(e).toMatchObject({ code: 0 });
  expect(events.find((e) => e.type === 'rollback/finished')).toMatchObject({ level: 'revert', ok: true });
  expect(events.at(-1)).toMatchObject({ type: 'session/ended', outcome: 'rolled-back' });
}
