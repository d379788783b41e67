// Replay of a 1,000,000-event journal (DESIGN.md §5, issue 15): the whole process first frame
// < 1 s, seek p99 < 200 ms, peak RSS < 300 MB. Generates a long, busy session: a rollout on a
// fleet with output streaming (coalesced a few lines per event, as the exec driver does), 20
// panels sampled every 5 s with sparklines, gates, a trigger and a rollback. Then runs the built
// `bin/cutover replay` (its V8 flags included) on a pseudo-terminal and reads its screen from
// outside (pty.mjs): first frame from the spawn to the screen showing REPLAY (imports, opening
// and the first draw all count); then, paused, once the index is done, seeks by key (digits,
// arrows, . and ,: keys that always move), each from the key written to the screen showing the
// new position; peak RSS from /proc (VmHWM). Uses dist/ (npm run build).
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTerminal } from './pty.mjs';

import { encodeLine, GENESIS_HASH } from '../../dist/journal/line.js';
import { RunbookSchema } from '../../dist/runbook/schema.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 100);
const STEPS = Number(process.env.BENCH_STEPS ?? 3);
const PANELS = 20;
const SEEKS = Number(process.env.BENCH_SEEKS ?? 200);

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

// The whole `cutover replay` process on a terminal, as an operator starts it: the built
// bin/cutover (its shebang's V8 flags included) under a pseudo-terminal of 160x48.
const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-replay-'));
const path = join(dir, 'big.jsonl');
const g0 = performance.now();
const written = generate(path);
console.log(
  `journal: ${written.toLocaleString('en-US')} events, ${(statSync(path).size / 1e6).toFixed(0)} MB, ${HOSTS} hosts x ${STEPS} waves (${HOSTS * STEPS} commands), ${PANELS} panels; generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
);
const term = openTerminal([fileURLToPath(new URL('../../bin/cutover', import.meta.url)), 'replay', path], {
  env: { ...process.env, CI: '' },
});
const position = (lines) => lines.join('\n').match(/([\d,]+)\/([\d,]+) events/)?.[1];
try {
  const first = await term.until((l) => l.some((x) => x.includes('REPLAY')), 10_000);
  if (first === undefined) throw new Error('replay never drew its first frame');
  const firstFrame = first - term.startedAt;
  const pid = term.pid();
  // Paused where it opened; then the index has to finish (the bar stops saying "indexing").
  term.press(' ');
  const i0 = performance.now();
  const indexed = await term.until((l) => !l.some((x) => x.includes('indexing')) && position(l) !== undefined, 120_000);
  if (indexed === undefined) throw new Error('the index never finished');
  const indexMs = indexed - i0;
  // Seeks by key: every key here moves (digits go to 10%-90%, arrows 5 s, . and , one event), so a key that shows no move within 5 s is a failure.
  const keys = ['5', '9', '1', '\x1b[C', '\x1b[1;2D', '.', ',', '7', '3', '\x1b[D', '\x1b[1;2C', '8', '2', '6', '4'];
  const latencies = [];
  let last;
  for (let k = 0; k < SEEKS; k++) {
    let key = keys[k % keys.length];
    const before = position(term.lines());
    if (key === last && /\d/.test(key)) key = keys[(k + 1) % keys.length];
    last = key;
    const sent = term.press(key);
    const shown = await term.until((l) => position(l) !== before, 5000);
    if (shown === undefined) throw new Error(`key ${JSON.stringify(key)} did not move the replay from ${before} within 5 s`);
    latencies.push(shown - sent);
    await new Promise((r) => setTimeout(r, 40));
  }
  const rss = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)[1]) / 1024;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * p) - 1)];
  const ok = (b) => (b ? 'OK' : 'OVER');
  console.log(`index (seen on the screen): ${(indexMs / 1000).toFixed(1)} s`);
  console.log(`whole process to first frame  ${firstFrame.toFixed(0)} ms  (budget < 1000 ms) ${ok(firstFrame < 1000)}`);
  console.log(
    `seek (key written to the frame showing the new position)  p50 ${pct(0.5).toFixed(1)} ms  p99 ${pct(0.99).toFixed(1)} ms  max ${pct(1).toFixed(1)} ms  (n=${latencies.length}; budget p99 < 200 ms) ${ok(pct(0.99) < 200)}`,
  );
  console.log(`peak RSS ${rss.toFixed(0)} MB  (budget < 300 MB) ${ok(rss < 300)}`);
} catch (e) {
  console.error(`replay bench: ${e.message}${term.errors() ? `\nreplay said: ${term.errors().slice(-2000)}` : ''}`);
  process.exitCode = 1;
} finally {
  term.close();
  rmSync(dir, { recursive: true, force: true });
}
