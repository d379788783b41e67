// Event journaled to the follower's frame (DESIGN.md §5, issue 16): under 1 s. A session is
// journaled with the real JournalWriter, as the console journals it, while the built
// `bin/cutover follow JOURNAL` runs on a pseudo-terminal (pty.mjs) and its screen is read from
// outside. Two phases: a steady session (a few hosts' output, 20 events/s), then a burst of 200
// hosts x 50 lines/s of output (coalesced 5 lines per event, as the exec driver does: 2,000
// events/s). In each, a marker note with a unique text is appended every ~0.5 s, and the time
// from its append to the follower's screen showing it is measured (the bytes that drew it read
// from the terminal). Prints p50/p99/max per phase and overall; budget p99 < 1 s. Uses dist/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTerminal } from './pty.mjs';

import { JournalWriter } from '../../dist/journal/writer.js';
import { RunbookSchema } from '../../dist/runbook/schema.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const HOSTS = 200;
const fleet = Array.from({ length: HOSTS }, (_, i) => `app-${String(i).padStart(3, '0')}.internal`);
const runbook = RunbookSchema.parse({
  name: 'follow bench: fleet rollout',
  hosts: { fleet },
  phases: [
    {
      id: 'roll',
      title: 'Roll out',
      steps: [{ id: 'deploy', title: 'Deploy everywhere', run: { on: 'fleet', command: 'deployctl rollout' } }],
    },
  ],
});

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-follow-'));
const path = join(dir, 'live.jsonl');
const w = await JournalWriter.create(path);
const add = (e) => w.append({ ...e, t: Date.now() }).catch(() => {});
add({
  type: 'session/started',
  sessionId: 'bench',
  runbook,
  runbookPath: 'bench.yaml',
  runbookSha256: '0'.repeat(64),
  operator: 'bench',
  mode: 'live',
  version: 'bench',
});
add({ type: 'step/started', phase: 'roll', step: 'deploy' });
for (const h of fleet) add({ type: 'command/started', cmd: `deploy#1@${h}`, step: 'deploy', host: h, command: 'deployctl rollout' });
await w.flush();

/** Output from `hosts` hosts, `perSec` events per host per second, 5 lines each; returns a stop function. */
function load(hosts, perSec) {
  let n = 0;
  const tick = setInterval(() => {
    for (let i = 0; i < hosts; i++) {
      const h = fleet[i];
      n++;
      add({
        type: 'command/output',
        cmd: `deploy#1@${h}`,
        host: h,
        stream: 'stdout',
        text: `[${h}] step ${n}: unpacking\n[${h}] step ${n}: linking\n[${h}] step ${n}: health 200 OK\n[${h}] step ${n}: warmed\n[${h}] step ${n}: done\n`,
      });
    }
  }, 1000 / perSec);
  return () => clearInterval(tick);
}

const term = openTerminal([fileURLToPath(new URL('../../bin/cutover', import.meta.url)), 'follow', path], {
  env: { ...process.env, CI: '' },
});
let marker = 0;
/** Appends marker notes for `seconds`, each once the last was seen; returns their latencies (ms). */
async function markers(seconds) {
  const out = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const text = `marker-${++marker}-${Math.random().toString(36).slice(2, 8)}`;
    const sent = performance.now();
    add({ type: 'note/added', operator: 'bench', text });
    const shown = await term.until((l) => l.some((x) => x.includes(text)), 5000);
    if (shown === undefined) throw new Error(`${text} was not on the follower's screen within 5 s`);
    out.push(shown - sent);
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
  }
  return out;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const pct = (p) => s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)];
  return { p50: pct(0.5), p99: pct(0.99), max: s.at(-1), n: s.length };
};
const show = (name, xs) => {
  const s = stats(xs);
  console.log(
    `${name}  p50 ${s.p50.toFixed(0)} ms  p99 ${s.p99.toFixed(0)} ms  max ${s.max.toFixed(0)} ms  (n=${s.n}; budget p99 < 1000 ms) ${s.p99 < 1000 ? 'OK' : 'OVER'}`,
  );
  return s.p99 < 1000;
};

try {
  const first = await term.until((l) => l.some((x) => x.includes('FOLLOWING')), 10_000);
  if (first === undefined) throw new Error('follow never drew its first frame');
  console.log(`whole process to first frame ${(first - term.startedAt).toFixed(0)} ms`);
  let stop = load(5, 4);
  const steady = await markers(SECONDS);
  stop();
  stop = load(HOSTS, 10);
  const burst = await markers(SECONDS);
  stop();
  await w.flush();
  console.log(`journal: ${(w.lastSeq).toLocaleString('en-US')} events`);
  const ok = [
    show('steady (5 hosts, 20 events/s)        ', steady),
    show('burst (200 hosts x 50 lines/s)       ', burst),
    show('all markers: journaled to the frame  ', [...steady, ...burst]),
  ];
  if (ok.includes(false)) process.exitCode = 1;
} catch (e) {
  console.error(`follow bench: ${e.message}${term.errors() ? `\nfollow said: ${term.errors().slice(-2000)}` : ''}`);
  process.exitCode = 1;
} finally {
  term.close();
  await w.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
