// Replay of a 1,000,000-event journal (DESIGN.md §5: first frame < 1 s, seek < 200 ms, memory
// < 300 MB). Generates a long, busy session: a rollout on a fleet with output streaming (coalesced
// a few lines per event, as the exec driver does), 20 panels sampled every 5 s with sparklines,
// gates, a trigger and a rollback. Then the real `cutover replay` pieces: open (index the start),
// first frame of the real console (Ink, fake terminal), indexing in the background, then seeks
// by key (digits, arrows, n/p, . and ,), each timed from keypress to the frame showing it.
// The replay runs in a process of its own with bin/cutover's V8 flags, as `cutover replay` does.
// Prints open-to-first-frame, index time, seek p50/max, peak RSS. Uses dist/ (npm run build).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { render } from 'ink';
import { App } from '../../dist/ui/App.js';
import { consoleFlags, In, Out, waitFor } from './term.mjs';

import { encodeLine, GENESIS_HASH } from '../../dist/journal/line.js';
import { RunbookSchema } from '../../dist/runbook/schema.js';
import { openReplay } from '../../dist/replay/open.js';
import { capHeapGrowth } from '../../dist/replay/heap.js';
import { replayModel } from '../../dist/replay/model.js';
import { allowStyles, CONSOLE_RENDER } from '../../dist/ui/render-options.js';

// Styles as on an operator's terminal, even when this benchmark's own output is a pipe.
allowStyles();

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 100);
const STEPS = Number(process.env.BENCH_STEPS ?? 3);
const PANELS = 20;
const SEEKS = 60;

const fleet = Array.from({ length: HOSTS }, (_, i) => `app-${String(i).padStart(3, '0')}.internal`);
const runbook = RunbookSchema.parse({
  name: 'replay bench: fleet rollout',
  prometheus: { url: 'http://127.0.0.1:9', interval: '5s' },
  hosts: { fleet },
  health: Array.from({ length: PANELS }, (_, i) => ({
    id: `p${i}`,
    title: `Panel ${i}`,
    query: `up{job="j${i}"}`,
    unit: 'ratio',
    warn: '> 0.5',
    crit: '> 0.9',
  })),
  phases: Array.from({ length: STEPS }, (_, s) => ({
    id: `ph${s}`,
    title: `Wave ${s + 1}`,
    planned: '30m',
    steps: [{ id: `s${s}`, title: `Roll wave ${s + 1}`, run: { on: 'fleet', command: `deployctl rollout --wave ${s + 1}` } }],
    gate: { title: `Wave ${s + 1} healthy?` },
  })),
  rollback: {
    levels: [
      {
        id: 'back',
        title: 'Back to the old release',
        expected: '5m',
        steps: [{ id: 'b1', title: 'Reactivate', local: { command: ['true'] } }],
      },
    ],
    triggers: [{ id: 'errs', when: 'p0 > 0.9', severity: 'critical', recommend: 'back' }],
  },
});

/** The session's events, one at a time. */
function* session() {
  let t = Date.UTC(2026, 10, 21, 22, 0, 0);
  yield {
    type: 'session/started',
    t,
    sessionId: 'bench',
    runbook,
    runbookPath: 'bench.yaml',
    runbookSha256: '0'.repeat(64),
    operator: 'bench',
    mode: 'live',
    version: 'bench',
  };
  const perStep = Math.floor((EVENTS - 200) / STEPS);
  let nextSample = t;
  for (let s = 0; s < STEPS; s++) {
    yield { type: 'step/started', t, phase: `ph${s}`, step: `s${s}` };
    for (const h of fleet)
      yield { type: 'command/started', t, cmd: `s${s}#1@${h}`, step: `s${s}`, host: h, command: `deployctl rollout --wave ${s + 1}` };
    for (let i = 0; i < perStep - 2 * HOSTS - 10; i++) {
      t += 20;
      if (t >= nextSample) {
        nextSample += 5000;
        for (let p = 0; p < PANELS; p++)
          yield { type: 'metric/sampled', t, panel: `p${p}`, at: t, series: [{ labels: { job: `j${p}` }, value: ((i + p) % 90) / 100 }] };
        if ((nextSample / 5000) % 6 === 0)
          for (let p = 0; p < PANELS; p++)
            yield {
              type: 'metric/range',
              t,
              panel: `p${p}`,
              from: t - 900_000,
              step: 22_500,
              points: Array.from({ length: 40 }, (_, k) => [t - 900_000 + k * 22_500, ((k + p) % 50) / 100]),
            };
        continue;
      }
      const h = fleet[i % HOSTS];
      yield {
        type: 'command/output',
        t,
        cmd: `s${s}#1@${h}`,
        host: h,
        stream: 'stdout',
        text: `[${h}] applying change ${i} of wave ${s + 1}: ok\n[${h}] health check ${i}: 200 OK\n[${h}] moving on\n`,
      };
    }
    for (const h of fleet) yield { type: 'command/exited', t, cmd: `s${s}#1@${h}`, host: h, code: 0, ms: 60_000 };
    yield { type: 'step/passed', t, step: `s${s}`, detail: `${HOSTS}/${HOSTS} hosts ok` };
    yield { type: 'gate/decided', t: (t += 1000), phase: `ph${s}`, decision: 'go', operator: 'bench' };
  }
  yield { type: 'trigger/firing', t: (t += 1000), trigger: 'errs', value: 0.95, check: '> 0.9', since: t - 30_000 };
  yield { type: 'rollback/recommended', t, level: 'back', trigger: 'errs', reason: 'errs (critical): Panel 0 is 95%, > 0.9' };
  yield { type: 'rollback/confirmed', t: (t += 5000), level: 'back', operator: 'bench' };
  yield { type: 'rollback/finished', t: (t += 3000), level: 'back', ok: true, ms: 3000 };
  yield { type: 'session/ended', t: (t += 1000), outcome: 'rolled-back' };
}

/** The session, cut to exactly EVENTS events (the end events kept). */
function* exactly() {
  const all = session();
  const tail = [];
  let n = 0;
  for (const e of all) {
    if (n < EVENTS - 5) {
      n++;
      yield e;
    } else tail.push(e);
    if (tail.length > 5) tail.shift();
  }
  yield* tail;
}

function generate(path) {
  const fd = openSync(path, 'w', 0o600);
  let prev = GENESIS_HASH;
  let seq = 0;
  let buf = [];
  for (const e of exactly()) {
    const l = encodeLine(++seq, prev, e);
    prev = l.hash;
    buf.push(l.text);
    if (buf.length === 10_000) {
      writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  }
  if (buf.length) writeSync(fd, `${buf.join('\n')}\n`);
  closeSync(fd);
  return seq;
}

// The replay is measured in a process of its own, so generating the journal does not count.
if (!process.argv[2]) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-replay-'));
  const path = join(dir, 'big.jsonl');
  const g0 = performance.now();
  const written = generate(path);
  console.log(
    `journal: ${written.toLocaleString('en-US')} events, ${(statSync(path).size / 1e6).toFixed(0)} MB, ${HOSTS} hosts x ${STEPS} waves (${HOSTS * STEPS} commands), ${PANELS} panels; generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );
  const r = spawnSync(process.execPath, [...consoleFlags(), '--expose-gc', fileURLToPath(import.meta.url), path], {
    stdio: 'inherit',
    env: process.env,
  });
  rmSync(dir, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}
const path = process.argv[2];
const stdout = new Out();
const stdin = new In();
// Open to first frame: what `cutover replay` does before the operator sees anything.
const t0 = performance.now();
capHeapGrowth(); // as `cutover replay` does
const player = await openReplay(path, { paused: true });
const model = replayModel(player, { journalPath: path, color: true, onQuit() {} });
const app = render(createElement(App, { model, color: true }), { ...CONSOLE_RENDER, stdout, stdin, stderr: new Out() });
await waitFor(() => stdout.writes.find((w) => w.s.includes('REPLAY')), 10_000);
const firstFrame = stdout.writes.find((w) => w.s.includes('REPLAY')).t - t0;
const mem = (what) =>
  process.env.BENCH_DEBUG &&
  console.log(
    `  ${what}: rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} of ${(process.memoryUsage().heapTotal / 1e6).toFixed(0)} MB, external ${(process.memoryUsage().external / 1e6).toFixed(0)} MB, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
mem('first frame');

// Indexing in the background, as in the console (progress redraws the bar now and then).
const i0 = performance.now();
let lastBar = 0;
await player.index.run(() => {
  if (performance.now() - lastBar > 200) {
    lastBar = performance.now();
    player.changed();
  }
});
player.changed();
const indexMs = performance.now() - i0;
mem('indexed');

// Seeks by key, each timed from keypress to the frame that shows the new position.
const keys = ['5', '9', '1', '\x1b[C', '\x1b[1;2D', 'n', 'p', '.', ',', '7', '3', '\x1b[D', '\x1b[1;2C', '0', '8', '2', '6', '4'];
const latencies = [];
let folded = 0;
for (let k = 0; k < SEEKS; k++) {
  const key = keys[k % keys.length];
  const from = stdout.writes.length;
  const pos = player.position;
  const before = performance.now();
  stdin.press(key);
  // The seek moves the position at once, in the key's handler; the next write is its frame. (Ink 8
  // rewrites only the changed end of a line, so the position's digits need not all be in it.)
  const seen = await waitFor(() => player.position !== pos && stdout.writes[from], 5000);
  const ms = seen ? seen.t - before : player.position === pos ? 0 : Infinity;
  latencies.push(ms);
  if (process.env.BENCH_DEBUG) console.log(`  key ${JSON.stringify(key)}: ${ms.toFixed(1)} ms, folded ${player.lastFolded}`);
  folded = Math.max(folded, player.lastFolded);
  await new Promise((r) => setTimeout(r, 40));
}
mem('seeks done');
app.unmount();
globalThis.gc?.();
const heap = process.memoryUsage().heapUsed / 1e6;
player.index.close();
const rss = process.resourceUsage().maxRSS / 1024;

latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
const ok = (b) => (b ? 'OK' : 'OVER');
console.log(
  `index: ${player.index.count.toLocaleString('en-US')} events in ${(indexMs / 1000).toFixed(1)} s (${Math.round(player.index.count / (indexMs / 1000)).toLocaleString('en-US')}/s), ${player.index.snapshots.length} snapshots every ${player.index.every} events, ${player.index.decisions.length} decisions`,
);
console.log(`open to first frame  ${firstFrame.toFixed(0)} ms  (budget < 1000 ms) ${ok(firstFrame < 1000)}`);
console.log(
  `seek (keypress to frame)  p50 ${pct(0.5).toFixed(1)} ms  max ${pct(1).toFixed(1)} ms  (n=${latencies.length}, at most ${folded} events folded per seek; budget < 200 ms) ${ok(pct(1) < 200)}`,
);
console.log(`peak RSS ${rss.toFixed(0)} MB, live heap at the end ${heap.toFixed(0)} MB  (budget < 300 MB) ${ok(rss < 300)}`);
process.exit(0);
