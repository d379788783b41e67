// Records the journals in fixtures/sessions/ with the real code (Session, journal, reducer,
// triggers, local commands through execa; remote hosts simulated). Run it again only when the
// journal format changes, then refresh the goldens (UPDATE_GOLDEN=1 on the report tests):
//   node --import ./test/support/ts-register.mjs test/report/record-sessions.ts
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/index.js';
import { withTriggers } from '../../src/drivers/triggers.js';
import { JournalWriter } from '../../src/journal/index.js';
import { readForResume } from '../../src/cli/run/start.js';
import { Session } from '../../src/session/session.js';
import { hybridExecutors, record, T0, type HostScript, type Recording } from '../support/scenario.js';
import { CHECKOUT, CONFIG_PUSH } from '../support/scenario-runbooks.js';

const DIR = join(process.cwd(), 'fixtures', 'sessions');
const ok: HostScript = (host, cmd) => ({ code: 0, out: `ok (${host})\n`, secs: cmd.startsWith('lbctl') ? 4 : 2 });

/** Samples both checkout panels at `sec` (p95 canary vs baseline 0.2 s). */
async function health(r: Recording, sec: number, errors: number, p95 = 0.21): Promise<void> {
  r.clock.at(sec);
  await r.sample('error_rate', Math.round(errors * 1e4) / 1e4);
  await r.sample('p95_canary', p95, 0.2);
}

async function done(r: Recording, step: string): Promise<void> {
  await r.until((s) => ['passed', 'failed', 'skipped'].includes(s.steps[step]?.status ?? ''));
}

async function rolledBack(): Promise<void> {
  const path = join(DIR, 'checkout-rolled-back.jsonl');
  rmSync(path, { force: true });
  const r = await record(path, CHECKOUT, ok, { runbookPath: 'runbooks/checkout.yaml' });
  const s = r.session;
  await health(r, 0, 0.002);
  for (const [sec, step] of [
    [10, 'backup'],
    [20, 'green-health'],
    [30, 'artifact'],
    [35, 'err-low'],
  ] as const) {
    await health(r, sec, 0.002);
    s.act(step);
    await done(r, step);
  }
  r.clock.at(45);
  s.decideGate('pre', 'go', 'backup verified, green healthy');
  await health(r, 60, 0.003);
  s.act('shift');
  await done(r, 'shift');
  await health(r, 70, 0.004);
  s.note('blue takes 50% now; watching the error rate');
  await health(r, 75, 0.03, 0.26);
  r.clock.at(80);
  s.act('watch');
  await done(r, 'watch');
  for (let sec = 85; sec <= 115; sec += 5) await health(r, sec, 0.06 + (sec - 85) / 1500, 0.3);
  r.clock.at(120);
  s.note('errors climbing on blue: rolling traffic back');
  r.clock.at(125);
  s.confirmRollback('traffic');
  await r.until((st) => st.rollback.run?.finishedAt !== undefined);
  await health(r, 130, 0.02, 0.22);
  await health(r, 140, 0.004, 0.21);
  r.clock.at(150);
  await s.end('rolled-back', 'errors on blue after the 50% shift');
}

async function completed(): Promise<void> {
  const path = join(DIR, 'config-push-completed.jsonl');
  rmSync(path, { force: true });
  const script: HostScript = (host, _cmd, attempt) =>
    host === 'web2.internal' && attempt === 1
      ? { code: 1, out: 'Job for nginx.service failed: stale pid file\n', secs: 3 }
      : { code: 0, out: '', secs: 1 };
  const r = await record(path, CONFIG_PUSH, script, { operator: 'carol', runbookPath: 'runbooks/config-push.yaml' });
  const s = r.session;
  for (const [sec, step] of [
    [5, 'announce'],
    [12, 'lint'],
    [20, 'reload'],
  ] as const) {
    r.clock.at(sec);
    s.act(step);
    await done(r, step);
  }
  r.clock.at(40);
  s.retry('reload');
  await r.until((st) => st.steps.reload?.status === 'passed');
  r.clock.at(50);
  s.note('web2 reload failed once: stale pid file, cleared by hand');
  r.clock.at(60);
  s.decideGate('push', 'go', 'config diff reviewed with Dana');
  await r.until((st) => st.gates.push !== undefined);
  r.clock.at(70);
  s.act('probe');
  await done(r, 'probe');
  r.clock.at(80);
  s.skip('cdn', 'no static assets changed: no purge needed');
  r.clock.at(95);
  await s.end('completed');
}

async function resumed(): Promise<void> {
  const path = join(DIR, 'checkout-resumed.jsonl');
  rmSync(path, { force: true });
  const script: HostScript = (host, cmd) =>
    host === 'app-b2.internal' && cmd.startsWith('deployctl')
      ? 'hang'
      : { code: 0, out: `ok (${host})\n`, secs: cmd.startsWith('deployctl') ? 20 : 2 };
  const r = await record(path, CHECKOUT, script, { runbookPath: 'runbooks/checkout.yaml' });
  const s = r.session;
  for (const [sec, step] of [
    [10, 'backup'],
    [20, 'green-health'],
    [30, 'artifact'],
    [35, 'err-low'],
  ] as const) {
    await health(r, sec, 0.002);
    s.act(step);
    await done(r, step);
  }
  r.clock.at(45);
  s.decideGate('pre', 'go', 'all green');
  await health(r, 60, 0.003, 0.34);
  s.act('shift');
  await done(r, 'shift');
  r.clock.at(70);
  s.note('p95 up on blue; rolling the code back to be safe');
  r.clock.at(75);
  s.confirmRollback('code');
  await r.until((st) => Object.values(st.commands).some((c) => c.host === 'app-b2.internal' && c.endedAt === undefined));
  // The console dies here: whatever was appended reaches the file, nothing more (like kill -9).
  r.journal.closeSync();

  const back = readForResume(path);
  const journal = await JournalWriter.openForAppend<SessionEvent>(path);
  r.clock.at(200);
  const exec = hybridExecutors(back.runbook, ok, r.clock);
  const bob = new Session({
    runbook: back.runbook,
    runbookPath: back.runbookPath,
    runbookSha256: back.runbookSha256,
    operator: 'bob',
    mode: 'live',
    version: '0.1.0',
    journal,
    executors: exec,
    clock: r.clock.now,
    publishMs: 5,
    resumeFrom: back.events,
  });
  await bob.start();
  const ctx = withTriggers(bob.ctx, back.runbook);
  r.clock.at(205);
  ctx.emit({ type: 'metric/sampled', t: r.clock.t, panel: 'error_rate', at: r.clock.t, series: [{ labels: {}, value: 0.003 }] });
  r.clock.at(210);
  bob.note('after the restart: app-b2 state unknown, checked by hand: still on v2.1.0');
  r.clock.at(220);
  bob.confirmRollback('traffic');
  await bob.rollbackSettled();
  await bob.store.settled();
  r.clock.at(240);
  await bob.end('rolled-back', 'code rollback cut short by a console crash; traffic moved back to green');
}

await rolledBack();
await completed();
await resumed();
console.log(`recorded 3 journals in ${DIR} (sessions start at ${new Date(T0).toISOString()})`);
process.exit(0);
