#!/usr/bin/env node
// The way back, warm (DESIGN.md §5, issue 15): a session starts and connects every host of its
// rollback level (100 loopback hosts on real sshds); once the pane says "ready 100/100" the
// operator presses 4, R and the capital Y in the real console (Ink, in this process). Measured
// from the Y reaching the console's stdin to:
//   (0) the last exec request sent (what cutover itself does: key, dialog, journal, fan-out);
//   (a) every host's exec request accepted by its sshd (the driver's onExecAccepted), budget p95 < 100 ms;
//   (b) the command running on every host, by the host's clock (`date +%s%N`; loopback shares it).
// And on its own: how long a `bash -c 'date +%s%N'` takes to start here (the shell's part of (b)).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink';
import { Session } from '../../dist/session/session.js';
import { JournalWriter } from '../../dist/journal/writer.js';
import { execDriverExecutors } from '../../dist/session/exec-adapter.js';
import { App } from '../../dist/ui/App.js';
import { sessionModel } from '../../dist/ui/session-model.js';
import { RunbookSchema } from '../../dist/runbook/schema.js';
import { allowStyles, CONSOLE_RENDER } from '../../dist/ui/render-options.js';
import { median, percentile, startFleet } from './fleet.mjs';
import { In, Out, waitFor } from './term.mjs';

allowStyles();
const N = Number(process.env.BENCH_HOSTS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const fleet = await startFleet(N);
const runbook = RunbookSchema.parse({
  name: 'rollback bench',
  ssh: { concurrency: N, knownHosts: join(fleet.ssh, 'known_hosts') },
  hosts: { fleet: fleet.addrs.map((a) => `${a}:${fleet.port}`) },
  phases: [{ id: 'p', title: 'P', steps: [{ id: 's', title: 'S', manual: true }] }],
  rollback: {
    levels: [{ id: 'back', title: 'Back', steps: [{ id: 'b1', title: 'Back on the fleet', run: { on: 'fleet', command: 'date +%s%N' } }] }],
  },
});
const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-rollback-'));
const requested = [];
const accepted = [];
const running = [];
try {
  for (let run = 0; run <= RUNS; run++) {
    const r = await once(run);
    if (run === 0) continue; // the first run warms the JIT, not the pool
    requested.push(r.requested);
    accepted.push(r.accepted);
    running.push(r.running);
  }
  const shell = await shellStart(20);
  const fmt = (xs) => `p50 ${median(xs).toFixed(1)} ms  p95 ${percentile(xs, 0.95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`;
  console.log(`warm rollback, ${N} pre-connected hosts, ${RUNS} runs, from the capital Y to:`);
  console.log(`  last exec request sent       ${fmt(requested)}   (cutover's own part)`);
  console.log(`  exec accepted on all ${N}     ${fmt(accepted)}`);
  console.log(`  command running on all ${N}   ${fmt(running)}   (host clock)`);
  console.log(
    `  for scale: one \`bash -c date\` starts in ${median(shell.one).toFixed(1)} ms here; ${N} at once, the last in ${median(shell.all).toFixed(1)} ms`,
  );
  const p95 = percentile(accepted, 0.95);
  console.log(`  budget: exec accepted on all ${N} under 100 ms p95: ${p95 < 100 ? 'OK' : 'OVER'} (${p95.toFixed(1)} ms)`);
} finally {
  fleet.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

/** One session: warm, then R and Y; returns the two figures of this rollback. */
async function once(run) {
  const at = new Map();
  const sent = new Map();
  const executors = execDriverExecutors(runbook, {
    home: fleet.home,
    env: fleet.env,
    sshConfigFiles: [],
    globalKnownHosts: [],
    onExecRequested: (host) => sent.set(host, performance.now()),
    onExecAccepted: (host) => at.set(host, performance.now()),
  });
  const path = join(dir, `j${run}.jsonl`);
  const session = new Session({
    runbook,
    runbookPath: 'bench.yaml',
    runbookSha256: '',
    operator: 'bench',
    mode: 'live',
    version: 'bench',
    journal: await JournalWriter.create(path),
    executors,
  });
  await session.start();
  const stdout = new Out(160, 48);
  const stdin = new In();
  const app = render(createElement(App, { model: sessionModel(session, { journalPath: path, onQuit() {} }), color: true }), {
    ...CONSOLE_RENDER,
    stdout,
    stdin,
    stderr: new Out(160, 48),
  });
  const ready = await waitFor(() => session.state.rollback.readiness?.back?.ready === N, 60_000);
  if (!ready) throw new Error(`the pool never got ready: ${JSON.stringify(session.state.rollback.readiness)}`);
  const shown = (s) => waitFor(() => stdout.writes.some((w) => w.s.includes(s)), 5000);
  stdin.press('4');
  stdin.press('R');
  if (!(await shown('capital Y'))) throw new Error('the rollback dialog did not open');
  const t0 = performance.now();
  const epoch0 = Date.now();
  stdin.press('Y');
  await waitFor(() => at.size === N, 10_000);
  if (at.size !== N) throw new Error(`only ${at.size} of ${N} hosts accepted the exec request`);
  const a = Math.max(...at.values()) - t0;
  await waitFor(() => session.state.rollback.run?.ok !== undefined, 20_000);
  if (!session.state.rollback.run?.ok) throw new Error(`the rollback failed: ${JSON.stringify(session.state.rollback.run)}`);
  const clocks = session.store
    .events()
    .all()
    .flatMap((e) => (e.type === 'command/output' && e.cmd.startsWith('b1#') ? [Number(BigInt(e.text.trim()) / 1000n) / 1000] : []));
  if (process.env.BENCH_TRACE) {
    const evs = session.store
      .events()
      .all()
      .filter((e) => e.t >= epoch0);
    const first = (f) => evs.find(f)?.t - epoch0;
    const last = (f) => evs.findLast(f)?.t - epoch0;
    console.log(
      `  trace: confirmed +${first((e) => e.type === 'rollback/confirmed')} step +${first((e) => e.type === 'rollback/step')} first started +${first((e) => e.type === 'command/started')} last started +${last((e) => e.type === 'command/started')} accepted +${a.toFixed(0)}`,
    );
  }
  app.unmount();
  await session.end('quit');
  return { requested: Math.max(...sent.values()) - t0, accepted: a, running: Math.max(...clocks) - epoch0 };
}

/** How long bash takes to start and print the time: one at a time, and `N` at once (the last of them). */
async function shellStart(runs) {
  const one = [];
  const all = [];
  for (let i = 0; i < runs; i++) {
    const t = Date.now();
    const [ns] = await Promise.all([bashDate()]);
    one.push(ns - t);
    const t2 = Date.now();
    const many = await Promise.all(Array.from({ length: N }, bashDate));
    all.push(Math.max(...many) - t2);
  }
  return { one, all };
}

function bashDate() {
  return new Promise((resolve) => {
    const p = spawn('bash', ['-c', 'date +%s%N'], { env: { PATH: process.env.PATH, SHLVL: '1' } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => resolve(Number(BigInt(out.trim()) / 1000n) / 1000));
  });
}
