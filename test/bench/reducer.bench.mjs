// Reducer cost per output event (DESIGN.md §5: flat within 2× from 200 to 10,000 commands).
// A session with N commands running, then `command/output` events spread over all of them, each
// folded as the live store folds it: the reducer, plus the append to the output tails buffer.
// The events are made as the exec driver makes them (host-run.ts, output.ts): each command's id
// and host are the strings its `command/started` had, and the text is its lines joined, with the
// last newline added. Making them is in the figure; the benchmark prints what it costs alone.
// Each size runs in a process of its own (a heap left over from another size would weigh on it),
// with bin/cutover's V8 flags (the console's young generation decides which chunks of output
// reach the old one), sizes interleaved, RUNS times; prints the median µs per event at each size
// and the ratio of the slowest to the fastest. Uses dist/ (npm run build).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { consoleFlags } from './term.mjs';

const SIZES = [200, 2_000, 10_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUDGET = 2;
/** Within one process: rounds of at least ROUND_MS (and MIN_EVENTS events) each, after a warm-up that fills the tails. */
const ROUNDS = 7;
const ROUND_MS = 300;
const MIN_EVENTS = 50;
const WARMUP_MS = 3000;

const size = Number(process.argv[2]);
if (size) console.log(JSON.stringify(await measure(size)));
else await main();

async function main() {
  const results = new Map(SIZES.map((n) => [n, []]));
  const making = new Map(SIZES.map((n) => [n, []]));
  let what = '';
  for (let r = 0; r < RUNS; r++)
    for (const n of SIZES) {
      const child = spawnSync(process.execPath, [...consoleFlags(), fileURLToPath(import.meta.url), String(n)], {
        encoding: 'utf8',
        env: { NODE_ENV: 'production', ...process.env },
      });
      if (child.status !== 0) throw new Error(`size ${n}: ${child.stderr}`);
      const m = JSON.parse(child.stdout.trim().split('\n').at(-1));
      what = m.what;
      results.get(n).push(m.us);
      making.get(n).push(m.makeUs);
    }
  console.log(what);
  const folds = [];
  const medians = SIZES.map((n) => {
    const us = results.get(n).sort((a, b) => a - b);
    const median = us[Math.floor(us.length / 2)];
    const make = making.get(n).sort((a, b) => a - b)[Math.floor(us.length / 2)];
    console.log(
      `${String(n).padStart(6)} commands  ${median.toFixed(2).padStart(9)} µs per output event, of which ${make.toFixed(2)} µs making it  (median of ${us.length} processes; ${us.map((u) => u.toFixed(2)).join(' ')})`,
    );
    folds.push(median - make);
    return median;
  });
  const ratio = Math.max(...medians) / Math.min(...medians);
  const foldRatio = Math.max(...folds) / Math.min(...folds);
  console.log(`fold alone (less making the event): ${folds.map((f) => f.toFixed(2)).join(' / ')} µs, max/min ${foldRatio.toFixed(2)}×`);
  console.log(`max/min ${ratio.toFixed(2)}× per output event (budget: flat within ${BUDGET}×) ${ratio <= BUDGET ? 'OK' : 'OVER'}`);
  process.exit(ratio <= BUDGET ? 0 : 1);
}

/** Median µs per output event, over ROUNDS rounds, with `n` commands running. */
async function measure(n) {
  const { reduce } = await import('../../dist/core/reduce.js');
  const { initialState } = await import('../../dist/core/state.js');
  const { RunbookSchema } = await import('../../dist/runbook/schema.js');
  // Code from before the tails buffer appended the tail inside `reduce`: then there is no buffer
  // to feed, and the figures are the reducer's alone (that is how the "before" was measured).
  const tailsModule = await import('../../dist/core/output-tails.js').catch(() => undefined);
  const tails = tailsModule ? new tailsModule.OutputTails() : undefined;
  const fold = (s, e) => {
    tails?.add(e);
    return reduce(s, e);
  };
  const t = Date.UTC(2026, 10, 21, 22, 0, 0);
  const runbook = RunbookSchema.parse({
    name: 'reducer bench',
    hosts: { fleet: ['h'] },
    phases: [{ id: 'roll', title: 'Roll out', steps: [{ id: 's1', title: 'Roll', run: { on: 'fleet', command: 'deployctl rollout' } }] }],
  });
  let s = fold(initialState(), {
    type: 'session/started',
    t,
    sessionId: 'bench',
    runbook,
    runbookPath: 'bench.yaml',
    runbookSha256: '0'.repeat(64),
    operator: 'bench',
    mode: 'live',
    version: 'bench',
  });
  s = fold(s, { type: 'step/started', t, phase: 'roll', step: 's1' });
  // The commands are started without the reducer's copy of the record per event, so that setting up 10,000 stays quick.
  const commands = { ...s.commands };
  const hosts = Array.from({ length: n }, (_, i) => `h${i}`);
  const ids = hosts.map((h) => `s1#1@${h}`);
  for (let i = 0; i < n; i++) {
    const e = { type: 'command/started', t, cmd: ids[i], step: 's1', host: hosts[i], command: 'deployctl rollout' };
    commands[e.cmd] = reduce(s, e).commands[e.cmd];
    tails?.add(e);
  }
  s = { ...s, commands, count: s.count + n };
  // Output as the exec driver coalesces it: a few lines per event, hosts in turn.
  const output = (i) => {
    const k = (i * 7919) % n;
    const h = hosts[k];
    const lines = [`[${h}] applying change ${i}: ok`, `[${h}] health check ${i}: 200 OK`, `[${h}] moving on`];
    return { type: 'command/output', t: t + i, cmd: ids[k], host: h, stream: 'stdout', text: `${lines.join('\n')}\n` };
  };
  let i = 0;
  // Warm-up: fill every tail (3 lines per event, 200 lines per tail) and let the JIT settle.
  const w0 = performance.now();
  for (; i < n * 70 && performance.now() - w0 < WARMUP_MS; i++) s = fold(s, output(i));
  const perEvent = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    let k = 0;
    for (; k < MIN_EVENTS || performance.now() - t0 < ROUND_MS; k++, i++) s = fold(s, output(i));
    perEvent.push(((performance.now() - t0) * 1000) / k);
  }
  if (s.count < i) throw new Error('the fold lost events');
  // The same rounds making the events only: what of the figure is not the fold's.
  const making = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    let k = 0;
    for (; k < MIN_EVENTS || performance.now() - t0 < ROUND_MS; k++, i++) sink += output(i).text.length;
    making.push(((performance.now() - t0) * 1000) / k);
  }
  if (sink === 0) throw new Error('no events were made');
  perEvent.sort((a, b) => a - b);
  making.sort((a, b) => a - b);
  const what = tails
    ? 'reduce + OutputTails.add per command/output event'
    : 'reduce per command/output event (no tails buffer in this build: the tail is appended inside reduce)';
  return { what, us: perEvent[Math.floor(ROUNDS / 2)], makeUs: making[Math.floor(ROUNDS / 2)] };
}
