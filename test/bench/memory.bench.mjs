// Memory over a whole night (issue 12): a live console with 20 health panels sampled every second
// and 200 hosts streaming command output, for BENCH_MINUTES (default 30) minutes of session time.
// Prints RSS and heap after 5 simulated minutes and at the end (after a forced GC), their ratio,
// the events folded and the frames rendered, against the budgets: RSS < 250 MB, and flat (the end
// at most 1.1 x the 5-minute figure). The load is injected as the events the drivers emit (the
// Prometheus poller and the exec driver have their own benchmarks); everything from the event
// pipeline on is the real console: session, journal on disk, reducer, Ink with incremental rendering.
//
// The load, per simulated second (what the drivers would emit in a real second):
// - 20 `metric/sampled`, one per panel (interval 1s), with series that drift and jitter (8 of the
//   20 panels return 5 series, by instance), `at` = the evaluation time; and, as the poller does
//   (rangeEvery = max(30 s, 6 intervals)), one `metric/range` per panel every 30 s: the 15-min
//   sparkline window at the poller's step for 40 cells (12 s, 76 points).
// - 10 rounds of output (the exec driver coalesces each host's stream into at most one event per
//   100 ms): 200 `command/output` events per round, 3 to 7 lines each (5 on average, so 50 lines/s
//   per host), every line different: timestamps, counters, sizes, addresses, durations.
// - Commands come and go as in a rollout: every BENCH_STEP_MINUTES (default 3) the running step's
//   200 commands exit and the next step starts 200 new ones. (A single 30-minute command would
//   stop streaming after ~4 min: the exec driver caps a command's output at 1 MiB per host, and
//   50 lines/s of ~90 bytes reach it in under 4 minutes; each 3-minute step stays under the cap.)
//
// Compression (the default; BENCH_REALTIME=1 runs on the wall clock instead, for a short check).
// Time in the session is simulated: the session's clock (Session's `clock` option, which the
// panes read for T+, ages and staleness) and every event's `t` advance by simulated time, and the
// bench steps through simulated time as fast as the machine renders, at most BENCH_SPEED
// (default 20) times real time. It is equivalent to a real night because what builds memory is
// injected in the same number, order and shape, and the console does the same work:
// - the same events: every event a real second of this load emits, with the same fields, sizes
//   and variety, in the same order, stamped with its simulated time;
// - the same publishes: the store publishes a new state at most every 250 ms (publishMs), and
//   under this load it does every 250 ms, so 4 per second (1 per second with the panels alone);
//   here the console's model is gated (`gatedModel`) and the bench publishes every 250 ms of
//   simulated time, once every event up to then is folded (none when nothing changed);
// - the same frames: each publish is one React render and one Ink frame, and the bench waits
//   for Ink to render each one before going on, so no frame is dropped or merged however fast
//   the clock runs (Ink's cap is 60 fps of simulated time: maxFps is scaled by BENCH_SPEED); the
//   App's once-a-second tick (its setInterval) runs on the simulated clock (`virtualIntervals`),
//   one render per simulated second, a frame when the screen changed (T+ moved), as in real time.
//   So 5 frames per simulated second (2 with the panels alone). Real-time runs of 2 minutes
//   measured 4.8 and 5.1 on a quiet machine: there, a tick and a publish now and then fall within
//   Ink's 33 ms and make one frame, or events folded between a render and its commit make React
//   render again; on a busy machine the timers drift (4.5-4.6 frames/s, 1900-1970 events/s);
// - the same text on screen: T+ and every age and "stale" are computed from simulated time.
// What differs are wall-clock-only effects. V8 sizes its heap by allocation per wall second: a
// compressed run allocates several times faster, so V8 keeps more pages around and RSS (even
// after a forced GC) reads higher than in real time for the same live heap. Measured over 2
// minutes, the heap after GC grows 72-73 MiB/min compressed and 67-70 MiB/min in real time (which
// also folded 1-2% fewer events), while RSS after GC at 2 min read 450-550 MiB compressed and
// 320-450 MiB in real time. The heap after GC is the figure that carries over; the compressed
// RSS errs on the high side. Likewise the journal's batches (its 50 ms batch timer spans more
// events) and its queued writes hold more at once. And a compressed run is CPU bound: its wall
// time is the console's CPU time, and the bench's own (generating the events, ~5%).
//
// Wall time: at most BENCH_MAX_WALL_S (default 240 s), then the run stops at the next simulated
// minute and says so (figures within budget then read INCOMPLETE); the console's CPU per
// simulated minute is what bounds the speed (about 11 s per minute at the start of this load,
// more as the heap grows). BENCH_MAX_WALL_S=0 runs all of BENCH_MINUTES whatever it takes.
//
// Run: npm run build && node test/bench/run.mjs memory
//      BENCH_MINUTES=10 BENCH_MAX_WALL_S=0 node test/bench/memory.bench.mjs
//      BENCH_REALTIME=1 BENCH_MINUTES=2 node test/bench/memory.bench.mjs     (real time, 2 min)
//      BENCH_HOSTS=0 ...                                                      (the panels alone)
//      BENCH_HEAPSNAPSHOT=/tmp/night.heapsnapshot BENCH_MINUTES=6 ...; node test/bench/heap-summary.mjs /tmp/night.heapsnapshot
// The bench re-runs itself with --expose-gc (figures are taken after a forced GC, and before it
// too) and with the V8 flags that bin/cutover's first line gives the console (read from there, so
// the bench measures what an operator runs).
// What it relies on, to keep it easy to adapt: Session's constructor (with `clock`), start, emit
// and end; sessionModel and the model's getState/subscribe; Ink's render, in `mountConsole` only
// (CONSOLE_RENDER, as the TTY console); the state's commands and the store's event list only for an optional hint.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { consoleFlags } from './term.mjs';

const CONSOLE_FLAGS = consoleFlags();
if (typeof globalThis.gc !== 'function') {
  if (process.env.CUTOVER_MEMORY_BENCH_CHILD) throw new Error('memory bench: could not get --expose-gc');
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', ...CONSOLE_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { NODE_ENV: 'production', ...process.env, CUTOVER_MEMORY_BENCH_CHILD: '1' },
    },
  );
  process.exit(r.status ?? 1);
}

const { createElement } = await import('react');
const { render } = await import('ink');
const { Session } = await import('../../dist/session/session.js');
const { JournalWriter } = await import('../../dist/journal/writer.js');
const { App } = await import('../../dist/ui/App.js');
const { sessionModel } = await import('../../dist/ui/session-model.js');
const { RunbookSchema } = await import('../../dist/runbook/schema.js');
const { allowStyles, CONSOLE_RENDER } = await import('../../dist/ui/render-options.js');
const { In, Out } = await import('./term.mjs');
// Styles as on an operator's terminal, even when this benchmark's own output is a pipe.
allowStyles();

const env = process.env;
const REALTIME = env.BENCH_REALTIME === '1';
const MINUTES = Number(env.BENCH_MINUTES ?? 30);
/** At most this many simulated ms per wall ms (the bench goes slower when rendering takes longer). */
const SPEED = REALTIME ? 1 : Number(env.BENCH_SPEED ?? 20);
const STEP_MINUTES = Number(env.BENCH_STEP_MINUTES ?? 3);
/** Wall-clock budget (s) of a compressed run: past it, the run stops at the next simulated minute (0: none). */
const MAX_WALL_S = REALTIME ? 0 : Number(env.BENCH_MAX_WALL_S ?? 240);
const HOSTS = Number(env.BENCH_HOSTS ?? 200); // 0: the panels alone
const PANELS = 20;
const MULTI_SERIES_PANELS = 8;
const OUTPUT_MS = 100; // the exec driver's flushMs
const PANEL_INTERVAL_MS = 1000;
const RANGE_EVERY_MS = 30_000; // the poller's max(30 s, 6 intervals)
const RANGE_MS = 15 * 60_000; // default sparkline window
const RANGE_STEP_MS = 12_000; // the poller's step for 40 cells: ceil(15 min / 80 dots) in whole seconds
const PUBLISH_MS = 250; // the session store's publishMs
const FIRST_MIN = MINUTES > 5 ? 5 : MINUTES / 2;
const END_MS = MINUTES * 60_000;
const COLS = 160;
const ROWS = 48;
const MiB = 1024 * 1024;
const BUDGET_RSS_MB = 250;
const BUDGET_FLAT = 1.1;

// ---------------------------------------------------------------------------------------------
// The night's load: deterministic (a seeded generator), stamped by the simulated clock.

let seed = 12;
/** mulberry32: the same night on every run. */
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));

const hosts = Array.from({ length: HOSTS }, (_, i) => `app-${String(i).padStart(3, '0')}.internal`);
const STEPS = Math.ceil(MINUTES / STEP_MINUTES) + 1;
const UNITS = ['ratio', 'percent', 'seconds', 'rps', 'bytes', 'count'];
const panelDefs = Array.from({ length: PANELS }, (_, i) => {
  const unit = UNITS[i % UNITS.length];
  const base = { ratio: 0.004, percent: 42, seconds: 0.23, rps: 1250, bytes: 2.1e9, count: 12 }[unit];
  const checks = {
    ratio: { warn: '> 0.01', crit: '> 0.05' },
    percent: { warn: '> 80', crit: '> 95' },
    seconds: { warn: '> 0.5', crit: '> 1' },
    rps: { warn: '< 200', crit: '< 50' },
    bytes: { warn: '> 6e9', crit: '> 7.5e9' },
    count: { warn: '> 40', crit: '> 80' },
  }[unit];
  return {
    id: `p${i}`,
    title: `${unit} panel ${i}`,
    query: `sum by (instance) (rate(metric_${i}_total{job="app"}[1m]))`,
    unit,
    ...checks,
    base,
    series: i < MULTI_SERIES_PANELS ? 5 : 1,
    period: 60_000 * (3 + i),
  };
});
const runbook = RunbookSchema.parse({
  name: 'memory night bench',
  prometheus: { url: 'http://127.0.0.1:9', interval: '1s' },
  hosts: { fleet: hosts },
  health: panelDefs.map(({ base: _b, series: _s, period: _p, ...p }) => p),
  phases: [
    {
      id: 'roll',
      title: 'Roll out',
      steps: Array.from({ length: STEPS }, (_, i) => ({
        id: `s${i}`,
        title: `Roll out part ${i}`,
        run: { on: 'fleet', command: `deployctl apply --release v2.14.3 --part ${i}` },
      })),
    },
  ],
  rollback: {
    levels: [
      {
        id: 'back',
        title: 'Back',
        expected: '2m',
        steps: [{ id: 'b1', title: 'Back on the fleet', run: { on: 'fleet', command: 'deployctl activate v2.14.2' } }],
      },
    ],
  },
});

/** A panel's value at time t: a slow wave, a drift over the night, and noise. */
function value(p, k, t) {
  const wave = 1 + 0.15 * Math.sin((2 * Math.PI * t) / p.period + k) + 0.0000002 * (t % 3_600_000);
  return p.base * wave * (1 + 0.08 * (rand() - 0.5)) * (1 + 0.1 * k);
}

let lineNo = 0;
const SERVICES = ['api', 'worker', 'billing', 'search', 'auth', 'ingest'];
/** One line of a deploy tool's output; every one is different, as real output is. */
function outputLine(h, t, second) {
  const ts = `${second}${String(Math.min(999, (t % 1000) + int(0, 99))).padStart(3, '0')}Z`;
  const n = ++lineNo;
  switch (n % 7) {
    case 0:
      return `${ts} INFO  deployctl[${4000 + h}]: applying change ${n} of release v2.14.3 to ${SERVICES[n % 6]}: ok (${(rand() * 40).toFixed(1)} ms)`;
    case 1:
      return `${ts} INFO  fetch s3://artifacts/app/v2.14.3/layer-${n % 97}.tar.zst ${int(0, 100)}% ${(rand() * 512).toFixed(1)} MiB/512.0 MiB ${(20 + rand() * 80).toFixed(1)} MiB/s`;
    case 2:
      return `${ts} DEBUG healthcheck http://10.${h % 8}.${int(0, 255)}.${int(1, 254)}:8080/healthz -> 200 in ${int(1, 90)}ms`;
    case 3:
      return `${ts} WARN  slow query on shard ${int(0, 63)}: ${int(200, 4000)} ms (${int(1, 90000)} rows, lock wait ${int(0, 900)} ms)`;
    case 4:
      return `${ts} INFO  migrated ${int(1000, 99999)} rows of table events_2025${String(int(1, 12)).padStart(2, '0')} (batch ${n})`;
    case 5:
      return `app-${String(h).padStart(3, '0')} systemd[1]: Started app-worker@${n % 512}.service - App worker ${n % 512} (pid ${int(10000, 99999)}).`;
    default:
      return `${ts} INFO  gc pause ${(rand() * 12).toFixed(2)} ms, heap ${int(200, 900)} MiB, ${int(0, 5000)} req in flight, p99 ${int(5, 400)} ms`;
  }
}

/** The events of one night, by simulated time; `emit` takes each one (stamped by the caller's clock). */
class Night {
  constructor(emit, now) {
    this.emit = emit;
    this.now = now;
    this.step = -1;
    this.stepStarted = 0;
    this.events = 0;
  }
  send(e) {
    this.events++;
    this.emit(e);
  }
  /** Starts the next step: the previous step's commands exit, 200 new ones start. */
  nextStep() {
    const t = this.now();
    if (this.step >= 0) {
      hosts.forEach((h, i) => {
        this.send({ type: 'command/exited', t, cmd: this.cmds[i], host: h, code: 0, ms: t - this.stepStarted });
      });
      this.send({ type: 'step/passed', t, step: `s${this.step}` });
    }
    this.step++;
    this.stepStarted = t;
    // One id string per command, shared by its events, as the exec driver's do.
    this.cmds = hosts.map((h) => `s${this.step}#1@${h}`);
    const command = `deployctl apply --release v2.14.3 --part ${this.step}`;
    this.send({ type: 'step/started', t, phase: 'roll', step: `s${this.step}`, operator: 'bench' });
    hosts.forEach((h, i) => {
      this.send({ type: 'command/started', t, cmd: this.cmds[i], step: `s${this.step}`, host: h, command });
    });
  }
  /** One round of coalesced output: an event per host with 3 to 7 lines. */
  output() {
    const t = this.now();
    const second = new Date(t).toISOString().slice(0, 20); // "2026-12-02T05:17:01."
    hosts.forEach((h, i) => {
      const lines = [];
      for (let k = int(3, 7); k > 0; k--) lines.push(outputLine(i, t, second));
      this.send({ type: 'command/output', t, cmd: this.cmds[i], host: h, stream: 'stdout', text: `${lines.join('\n')}\n` });
    });
  }
  /** One poll of every panel; every RANGE_EVERY_MS also its sparkline window. */
  metrics(withRange) {
    const t = this.now();
    const at = Math.floor(t / 1000) * 1000;
    for (const p of panelDefs) {
      const series = Array.from({ length: p.series }, (_, k) => ({
        labels: p.series > 1 ? { instance: `app-${String(k * 37).padStart(3, '0')}.internal:9100`, job: 'app' } : { job: 'app' },
        value: value(p, k, t),
      }));
      this.send({ type: 'metric/sampled', t, panel: p.id, at, series });
      if (withRange) {
        const end = Math.floor(t / RANGE_STEP_MS) * RANGE_STEP_MS;
        const from = end - Math.ceil(RANGE_MS / RANGE_STEP_MS) * RANGE_STEP_MS;
        const points = [];
        for (let x = from; x <= end; x += RANGE_STEP_MS) points.push([x, value(p, 0, x)]);
        this.send({ type: 'metric/range', t, panel: p.id, from, step: RANGE_STEP_MS, points });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The console: a session on a journal in a temporary directory, and the real App in Ink.

/** An stdout that keeps nothing (term.mjs's Out records every write, which would grow by itself). */
class NullOut extends Out {
  bytes = 0;
  write = (s) => {
    this.bytes += s.length;
    if (s.length > 16) this.frames++; // BSU/ESU markers come as writes of their own
    return true;
  };
}

/**
 * Mounts the console as the TTY console does (its render options, the frame cap scaled with the
 * clock). `onRender` (Ink's own option) counts renders so the bench knows a frame is done.
 */
function mountConsole(model, stdout, stdin, maxFps, onRender) {
  return render(createElement(App, { model, color: true }), {
    ...CONSOLE_RENDER,
    stdout,
    stdin,
    stderr: new NullOut(COLS, ROWS),
    maxFps,
    onRender,
  });
}

/**
 * The model with its notifications held: the App hears of new state only when `publish` is called
 * (every 250 ms of simulated time), as it hears the store's throttled publishes in real time.
 */
function gatedModel(model) {
  const listeners = new Set();
  return {
    model: { ...model, subscribe: (fn) => (listeners.add(fn), () => listeners.delete(fn)) },
    publish: () => {
      for (const fn of listeners) fn();
    },
  };
}

/** setInterval on the simulated clock (`simMs`: the App's once-a-second tick); `fire` runs what is due. */
function virtualIntervals(simNow) {
  const timers = new Set();
  const real = { setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval };
  globalThis.setInterval = (fn, ms, ...args) => {
    const h = {
      fn: () => fn(...args),
      ms: Math.max(1, ms ?? 1),
      at: simNow() + Math.max(1, ms ?? 1),
      ref: () => h,
      unref: () => h,
      hasRef: () => false,
      refresh: () => h,
    };
    timers.add(h);
    return h;
  };
  globalThis.clearInterval = (h) => (timers.has(h) ? void timers.delete(h) : real.clearInterval(h));
  return {
    next: () => Math.min(Infinity, ...[...timers].map((h) => h.at)),
    /** Fires every interval due at `t`; true when one fired. */
    fire(t) {
      let fired = false;
      for (const h of timers)
        if (h.at <= t) {
          h.at += h.ms;
          h.fn();
          fired = true;
        }
      return fired;
    },
    restore: () => Object.assign(globalThis, real),
  };
}

const immediate = () => new Promise((r) => setImmediate(r));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (n) => (n / MiB).toFixed(1);

function memory() {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}
/**
 * Memory after full collections (the first may leave finalization work for the second), once
 * the journal's pending writes went out (a pause: simulated time stands still meanwhile).
 */
async function memoryAfterGc() {
  const raw = memory();
  await sleep(300);
  globalThis.gc();
  globalThis.gc();
  await sleep(100);
  return { ...memory(), raw };
}

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-memory-'));
const journalPath = join(dir, 'j.jsonl');
const journal = await JournalWriter.create(journalPath);
const executors = {
  remote: async () => ({ ok: true, summary: '' }),
  local: async () => ({ ok: true, summary: '' }),
  connections: () => HOSTS,
  close: async () => {},
};
const T0 = Date.now();
let simMs = 0;
const simNow = REALTIME ? () => Date.now() : () => T0 + simMs;
const elapsedSim = () => (REALTIME ? Date.now() - T0 : simMs);
const session = new Session({
  runbook,
  runbookPath: 'bench.yaml',
  runbookSha256: '',
  operator: 'bench',
  mode: 'live',
  version: 'bench',
  journal,
  executors,
  clock: simNow,
});
await session.start();

let last = Promise.resolve();
const night = new Night((e) => {
  last = session.emit(e);
  last.catch(() => {});
}, simNow);

const stdout = new NullOut(COLS, ROWS);
const stdin = new In();
let renders = 0;
const onRender = () => void renders++;
const timers = REALTIME ? undefined : virtualIntervals(() => simMs);
const gate = REALTIME ? undefined : gatedModel(sessionModel(session, { journalPath, onQuit() {} }));
const model = gate ? gate.model : sessionModel(session, { journalPath, onQuit() {} });
const app = mountConsole(model, stdout, stdin, REALTIME ? CONSOLE_RENDER.maxFps : Math.min(1000, CONSOLE_RENDER.maxFps * SPEED), onRender);

const wall0 = performance.now();
const cpu0 = process.cpuUsage();
const limit = v8.getHeapStatistics().heap_size_limit;
let atFirst;
let stoppedEarly;

/** One progress line per simulated minute; the 5-minute figure after a forced GC. False: stop (heap near its limit, wall budget spent). */
async function checkpoint(minute) {
  if (Math.abs(minute - FIRST_MIN) < 1e-9) atFirst = await memoryAfterGc();
  const m = memory();
  const wall = (performance.now() - wall0) / 1000;
  console.log(
    `  ${String(minute).padStart(4)} min  rss ${mb(m.rss).padStart(7)} MiB  heap ${mb(m.heap).padStart(7)} MiB (of ${mb(m.heapTotal).padStart(7)})  external ${mb(m.external).padStart(6)} MiB  events ${String(night.events).padStart(8)}  frames ${String(stdout.frames).padStart(6)}  wall ${wall.toFixed(1)} s${minute === FIRST_MIN ? `  (after gc: rss ${mb(atFirst.rss)}, heap ${mb(atFirst.heap)})` : ''}`,
  );
  if (m.heap > 0.8 * limit) stoppedEarly = `the heap is at ${mb(m.heap)} MiB of its ${mb(limit)} MiB limit`;
  else if (MAX_WALL_S && wall > MAX_WALL_S && minute >= FIRST_MIN && minute < MINUTES)
    stoppedEarly = `the wall-clock budget of ${MAX_WALL_S} s is spent (BENCH_MAX_WALL_S=0 runs all ${MINUTES} min, as slowly as the console's CPU needs)`;
  return !stoppedEarly;
}

const minuteMarks = [...new Set([FIRST_MIN, ...Array.from({ length: Math.floor(MINUTES) }, (_, i) => i + 1)])].sort((a, b) => a - b);
console.log(
  `Node ${process.version}, V8 flags of bin/cutover: ${CONSOLE_FLAGS.join(' ') || 'none'}\n${REALTIME ? 'real time' : `simulated time, at most ${SPEED}x real time`}: ${MINUTES} min, ${HOSTS} hosts x 50 lines/s (events every ${OUTPUT_MS} ms), ${PANELS} panels every ${PANEL_INTERVAL_MS / 1000} s; steps of ${STEP_MINUTES} min`,
);

night.nextStep();
if (REALTIME) {
  // The wall clock drives everything: the store's own 250 ms publishes, Ink's 60 fps cap, the App's tick.
  const out = setInterval(() => night.output(), OUTPUT_MS);
  let polls = 0;
  const met = setInterval(() => night.metrics(polls++ % (RANGE_EVERY_MS / PANEL_INTERVAL_MS) === 0), PANEL_INTERVAL_MS);
  const steps = setInterval(() => night.nextStep(), STEP_MINUTES * 60_000);
  for (const m of minuteMarks) {
    await sleep(T0 + m * 60_000 - Date.now());
    if (!(await checkpoint(m))) break;
  }
  clearInterval(out);
  clearInterval(met);
  clearInterval(steps);
} else {
  // Lockstep on the simulated clock: each kind of event at its own phase, publishes every 250 ms,
  // the App's tick when due; each publish and tick waits for Ink to have rendered it.
  const next = { output: 30, metrics: 370, publish: PUBLISH_MS + 80, step: STEP_MINUTES * 60_000 };
  let polls = 0;
  let mark = 0;
  let published = model.getState();
  const settle = async (rendersBefore) => {
    const until = performance.now() + 5000;
    while (renders === rendersBefore && performance.now() < until) await immediate();
    await immediate();
  };
  for (;;) {
    const markAt = minuteMarks[mark] * 60_000;
    const t = Math.min(next.output, next.metrics, next.publish, next.step, timers.next(), markAt);
    if (t > END_MS) break;
    simMs = t;
    if (t === next.step) {
      night.nextStep();
      next.step += STEP_MINUTES * 60_000;
    }
    if (t === next.output) {
      night.output();
      next.output += OUTPUT_MS;
    }
    if (t === next.metrics) {
      night.metrics(polls++ % (RANGE_EVERY_MS / PANEL_INTERVAL_MS) === 0);
      next.metrics += PANEL_INTERVAL_MS;
    }
    if (t === timers.next()) {
      await last;
      const before = renders;
      timers.fire(t);
      await settle(before);
    }
    if (t === next.publish) {
      next.publish += PUBLISH_MS;
      await last;
      if (model.getState() !== published) {
        published = model.getState();
        const before = renders;
        gate.publish();
        await settle(before);
      }
      // Never faster than SPEED x real time.
      const ahead = simMs / SPEED - (performance.now() - wall0);
      if (ahead > 1) await sleep(ahead);
    }
    if (t === markAt) {
      await last;
      if (!(await checkpoint(minuteMarks[mark]))) break;
      if (++mark >= minuteMarks.length) break;
    }
  }
}
await last;
await immediate();
const atEnd = await memoryAfterGc();
const simEnded = elapsedSim();
const wall = (performance.now() - wall0) / 1000;
const cpu = process.cpuUsage(cpu0);
const frames = stdout.frames;
const events = night.events;

// Optional hints of what the state holds (guarded: the store's event list and the command tails may move).
let held = '';
try {
  const cmds = Object.values(session.state.commands ?? {});
  const tails = cmds.reduce((n, c) => n + (c.tail?.length ?? 0), 0);
  const logged = session.store?.events?.().length;
  held = `state holds ${cmds.length} commands with ${tails} tail lines${logged !== undefined ? `; the store's event list ${logged} events` : ''}`;
} catch {}

if (env.BENCH_HEAPSNAPSHOT) {
  const file = v8.writeHeapSnapshot(env.BENCH_HEAPSNAPSHOT);
  console.log(`heap snapshot: ${file} (node test/bench/heap-summary.mjs ${file})`);
}

app.unmount();
timers?.restore();
await session.end('quit');
rmSync(dir, { recursive: true, force: true });

const simMin = simEnded / 60_000;
const rssRatio = atEnd.rss / (atFirst?.rss ?? NaN);
const heapRatio = atEnd.heap / (atFirst?.heap ?? NaN);
// Stopped early, a figure within its budget says nothing yet about the end of the night.
const verdict = (ok) => (!ok ? 'OVER' : stoppedEarly ? `INCOMPLETE (stopped at ${simMin.toFixed(0)} of ${MINUTES} min)` : 'PASS');
const perMin = (a, b) => (atFirst && simMin > FIRST_MIN ? `${((a - b) / MiB / (simMin - FIRST_MIN)).toFixed(1)} MiB/min` : 'n/a');
console.log(
  `\nload: ${events} events folded and journaled, ${frames} frames rendered (${renders} Ink renders) in ${simMin.toFixed(1)} simulated min: ${(frames / (simEnded / 1000)).toFixed(2)} frames and ${(events / (simEnded / 1000)).toFixed(0)} events per simulated second`,
);
console.log(
  `wall ${wall.toFixed(1)} s (${(simEnded / 1000 / wall).toFixed(1)}x real time), CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; ${mb(stdout.bytes)} MiB written to the terminal`,
);
if (held) console.log(held);
if (stoppedEarly) console.log(`STOPPED EARLY after ${simMin.toFixed(0)} simulated min: ${stoppedEarly}`);
console.log(
  `after ${FIRST_MIN} min (after gc)   rss ${mb(atFirst?.rss ?? NaN)} MiB  heap ${mb(atFirst?.heap ?? NaN)} MiB   (before gc: rss ${mb(atFirst?.raw.rss ?? NaN)}, heap ${mb(atFirst?.raw.heap ?? NaN)})`,
);
console.log(
  `at the end, ${simMin.toFixed(1)} min (after gc)  rss ${mb(atEnd.rss)} MiB  heap ${mb(atEnd.heap)} MiB   (before gc: rss ${mb(atEnd.raw.rss)}, heap ${mb(atEnd.raw.heap)})`,
);
console.log(
  `growth after ${FIRST_MIN} min    rss ${perMin(atEnd.rss, atFirst?.rss)}, heap ${perMin(atEnd.heap, atFirst?.heap)} (after gc)`,
);
console.log(
  `RSS at the end     ${mb(atEnd.rss)} MiB (budget < ${BUDGET_RSS_MB} MB = ${mb(BUDGET_RSS_MB * 1e6)} MiB) ${verdict(atEnd.rss < BUDGET_RSS_MB * 1e6)}`,
);
console.log(
  `flat RSS           end/${FIRST_MIN}-min ${rssRatio.toFixed(2)} (budget <= ${BUDGET_FLAT}) ${verdict(rssRatio <= BUDGET_FLAT)}`,
);
console.log(
  `flat heap          end/${FIRST_MIN}-min ${heapRatio.toFixed(2)} (budget <= ${BUDGET_FLAT}) ${verdict(heapRatio <= BUDGET_FLAT)}`,
);
process.exit(0);
