// The console under load (DESIGN.md §5): 200 hosts streaming 50 lines/s each plus 20 panels
// updating every second, while keys are pressed. Prints keypress-to-frame p50/p99, the frame
// rate, and the console's CPU. The load is injected as the events the drivers would emit (the
// SSH and Prometheus drivers have their own benchmarks); everything from the event pipeline on is
// the real console: journal, reducer, Ink with incremental rendering at 30 fps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink';
import { Session } from '../../dist/session/session.js';
import { JournalWriter } from '../../dist/journal/writer.js';
import { App } from '../../dist/ui/App.js';
import { sessionModel } from '../../dist/ui/session-model.js';
import { RunbookSchema } from '../../dist/runbook/schema.js';
import { allowStyles, CONSOLE_RENDER } from '../../dist/ui/render-options.js';
import { In, Out, waitFor } from './term.mjs';

// Styles as on an operator's terminal, even when this benchmark's own output is a pipe.
allowStyles();

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const HOSTS = 200;
const LINES_PER_SEC = 50;
const PANELS = 20;
const COLS = 160;
const ROWS = 48;

const hosts = Array.from({ length: HOSTS }, (_, i) => `app-${String(i).padStart(3, '0')}.internal`);
const runbook = RunbookSchema.parse({
  name: 'console load bench',
  prometheus: { url: 'http://127.0.0.1:9', interval: '1s' },
  hosts: { fleet: hosts },
  health: Array.from({ length: PANELS }, (_, i) => ({
    id: `p${i}`,
    title: `Panel ${i}`,
    query: `up{job="j${i}"}`,
    unit: 'ratio',
    warn: '> 0.5',
    crit: '> 0.9',
  })),
  phases: [
    {
      id: 'roll',
      title: 'Roll out',
      steps: Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, title: `Step number ${i}`, manual: true })),
    },
  ],
  rollback: {
    levels: [
      {
        id: 'back',
        title: 'Back',
        expected: '2m',
        steps: [{ id: 'b1', title: 'Back on the fleet', run: { on: 'fleet', command: 'deployctl activate v1' } }],
      },
    ],
  },
});

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-console-'));
const journal = await JournalWriter.create(join(dir, 'j.jsonl'));
const executors = {
  remote: async () => ({ ok: true, summary: '' }),
  local: async () => ({ ok: true, summary: '' }),
  connections: () => HOSTS,
  close: async () => {},
};
const session = new Session({
  runbook,
  runbookPath: 'bench.yaml',
  runbookSha256: '',
  operator: 'bench',
  mode: 'live',
  version: 'bench',
  journal,
  executors,
});
await session.start();
const stdout = new Out(COLS, ROWS);
const stdin = new In();
const headless = Boolean(process.env.BENCH_NO_UI);
const app = headless
  ? { unmount() {} }
  : render(createElement(App, { model: sessionModel(session, { journalPath: join(dir, 'j.jsonl'), onQuit() {} }), color: true }), {
      ...CONSOLE_RENDER,
      stdout,
      stdin,
      stderr: new Out(COLS, ROWS),
    });
if (headless) console.log('BENCH_NO_UI: the event pipeline alone (journal + reducer), no rendering, no keys');

// A rollback on 200 hosts, all streaming.
const now = () => Date.now();
await session.emit({ type: 'rollback/confirmed', t: now(), level: 'back', operator: 'bench' });
await session.emit({ type: 'rollback/step', t: now(), level: 'back', step: 'b1', status: 'started' });
for (const h of hosts)
  session.ctx.emit({
    type: 'command/started',
    t: now(),
    cmd: `b1#1@${h}`,
    step: 'b1',
    level: 'back',
    host: h,
    command: 'deployctl activate v1',
  });

// Output coalesced per host every 100 ms (as the exec driver does): 5 lines per event.
let seq = 0;
const outputTimer = setInterval(() => {
  for (const h of hosts) {
    const lines = [];
    for (let i = 0; i < LINES_PER_SEC / 10; i++) lines.push(`[${h}] applying change ${seq++} of the release: ok`);
    session.ctx.emit({ type: 'command/output', t: now(), cmd: `b1#1@${h}`, host: h, stream: 'stdout', text: `${lines.join('\n')}\n` });
  }
}, 100);
const metricTimer = setInterval(() => {
  for (let i = 0; i < PANELS; i++)
    session.ctx.emit({
      type: 'metric/sampled',
      t: now(),
      panel: `p${i}`,
      at: now(),
      series: [{ labels: { job: `j${i}` }, value: Math.random() }],
    });
}, 1000);

await new Promise((r) => setTimeout(r, 1000));
// Phase 1: the load alone, nobody typing (what the console costs while the operator watches).
const idle0 = process.cpuUsage();
const idleWall0 = performance.now();
await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
const idleCpu = process.cpuUsage(idle0);
const idlePct = ((idleCpu.user + idleCpu.system) / 1000 / (performance.now() - idleWall0)) * 100;
// Phase 2: keys pressed about three times a second under the same load.
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const frames0 = stdout.frames;
const latencies = [];
let cursor = 0;
const deadline = performance.now() + (SECONDS * 1000) / 2;
if (headless) await new Promise((r) => setTimeout(r, SECONDS * 1000));
while (!headless && performance.now() < deadline) {
  // Alternate between the checklist (down/up) so every key changes the frame.
  const down = cursor < 29 && (cursor === 0 || Math.random() < 0.5);
  cursor += down ? 1 : -1;
  const want = `Step number ${cursor}`;
  const from = stdout.writes.length;
  const t0 = performance.now();
  stdin.press(down ? '\x1b[B' : '\x1b[A');
  const seen = await waitFor(() => stdout.writes.slice(from).find((w) => w.s.includes(`▸ `) && w.s.includes(want)), 2000);
  latencies.push(seen ? seen.t - t0 : Infinity);
  await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
}
const wall = performance.now() - wall0;
const cpu = process.cpuUsage(cpu0);
const frames = stdout.frames - frames0;
clearInterval(outputTimer);
clearInterval(metricTimer);
app.unmount();
await session.end('quit');
rmSync(dir, { recursive: true, force: true });

if (headless) latencies.push(0);
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
const events = session.store.events().length;
console.log(`load: ${HOSTS} hosts x ${LINES_PER_SEC} lines/s, ${PANELS} panels/s, ${SECONDS}s; ${events} events folded and journaled`);
console.log(
  `keypress to frame  p50 ${pct(0.5).toFixed(1)} ms  p99 ${pct(0.99).toFixed(1)} ms  (n=${latencies.length}, budget p99 < 50 ms) ${pct(0.99) < 50 ? 'OK' : 'OVER'}`,
);
console.log(`frame rate         ${(frames / (wall / 1000)).toFixed(1)} fps (cap 30)`);
console.log(
  `console CPU        ${idlePct.toFixed(1)}% of one core watching, ${cpuPct.toFixed(1)}% while typing (budget < 30%; includes generating the load) ${idlePct < 30 ? 'OK' : 'OVER'}`,
);
process.exit(0);
