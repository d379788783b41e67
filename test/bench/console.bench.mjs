#!/usr/bin/env node
// The console under load, measured from outside (DESIGN.md §5, issue 15): console-child.mjs runs
// the real console on a pseudo-terminal (util-linux `script`, 160x48) with bin/cutover's V8 flags,
// while 200 hosts stream 50 lines/s each and 20 panels update every second. This process is the
// operator's terminal: it writes each key to the terminal and waits for the frame that shows the
// cursor on the step it moved to. Keypress latency runs from the key written to that frame read;
// the console's CPU is read from /proc for its process (load generation included, as real drivers
// would cost it too). At least 200 keys per run, 3 runs. Budgets: p99 < 50 ms, CPU < 30% of a core.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, percentile, processCpuMs } from './fleet.mjs';
import { consoleFlags } from './term.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const KEYS = Number(process.env.BENCH_KEYS ?? 200);
const WATCH_MS = Number(process.env.BENCH_WATCH_MS ?? 10_000);
const child = fileURLToPath(new URL('console-child.mjs', import.meta.url));
const all = [];
const cpu = { watching: [], typing: [] };
for (let run = 1; run <= RUNS; run++) {
  const r = await oneRun();
  all.push(...r.latencies);
  cpu.watching.push(r.watching);
  cpu.typing.push(r.typing);
  console.log(
    `run ${run}: ${r.latencies.length} keys  p50 ${median(r.latencies).toFixed(1)} ms  p99 ${percentile(r.latencies, 0.99).toFixed(1)} ms  max ${Math.max(...r.latencies).toFixed(1)} ms  CPU ${r.watching.toFixed(1)}% watching, ${r.typing.toFixed(1)}% typing`,
  );
}
const p99 = percentile(all, 0.99);
const typing = Math.max(...cpu.typing);
const watching = Math.max(...cpu.watching);
console.log(`load: 200 hosts x 50 lines/s, 20 panels/s; ${RUNS} runs, ${all.length} keys, from the key written to the terminal to its frame`);
console.log(`keypress to frame  p50 ${median(all).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  (budget p99 < 50 ms) ${p99 < 50 ? 'OK' : 'OVER'}`);
console.log(`console CPU        watching ${watching.toFixed(1)}% of a core (worst run; budget < 30%) ${watching < 30 ? 'OK' : 'OVER'}`);
console.log(`                   typing   ${typing.toFixed(1)}% of a core (worst run; budget < 30%) ${typing < 30 ? 'OK' : 'OVER'}`);
process.exit(0);

/** One console on a fresh terminal: settle, watch, then type. */
async function oneRun() {
  const cmd = `stty cols 160 rows 48; exec ${process.execPath} ${consoleFlags().join(' ')} ${child}`;
  const term = spawn('script', ['-qfec', cmd, '/dev/null'], {
    env: { ...process.env, NODE_ENV: 'production', TERM: 'xterm-256color', CI: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  term.stderr.on('data', (d) => (errors += d));
  term.stdout.setEncoding('utf8');
  let screen = '';
  let waiter;
  term.stdout.on('data', (d) => {
    screen += d;
    if (screen.length > 1 << 20) screen = screen.slice(-(1 << 16));
    waiter?.();
  });
  /** Resolves with the time `re` first matches what the terminal printed after `from`, or rejects at `ms`. */
  const seen = (re, from, ms) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} on the screen after ${ms} ms`)), ms);
      waiter = () => {
        if (re.test(screen.slice(from))) {
          const t = performance.now();
          clearTimeout(timer);
          waiter = undefined;
          resolve(t);
        }
      };
      waiter();
    });
  try {
    await seen(/Step number 0/, 0, 30_000);
    const pid = consolePid(term.pid);
    // Let the load reach its steady state (200 commands started, output flowing) before measuring.
    await new Promise((r) => setTimeout(r, 2000));
    const w0 = processCpuMs(pid);
    const tw = performance.now();
    await new Promise((r) => setTimeout(r, WATCH_MS));
    const watching = ((processCpuMs(pid) - w0) / (performance.now() - tw)) * 100;
    const latencies = [];
    let cursor = 0;
    const c0 = processCpuMs(pid);
    const t0 = performance.now();
    for (let k = 0; k < KEYS; k++) {
      const down = cursor < 29 && (cursor === 0 || Math.random() < 0.5);
      cursor += down ? 1 : -1;
      const from = screen.length;
      const sent = performance.now();
      term.stdin.write(down ? '\x1b[B' : '\x1b[A');
      // The cursor's row is redrawn with the marker and the step's title on it.
      const shown = await seen(new RegExp(`▸[^\\n]*?Step number ${cursor}(?!\\d)`), from, 5000);
      latencies.push(shown - sent);
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
    }
    const typing = ((processCpuMs(pid) - c0) / (performance.now() - t0)) * 100;
    return { latencies, watching, typing };
  } catch (e) {
    console.error(`console bench: ${e.message}${errors ? `\nthe console said: ${errors.slice(-2000)}` : ''}`);
    process.exit(1);
  } finally {
    term.kill('SIGTERM');
    try {
      process.kill(consolePid(term.pid), 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** The console's pid: `script`'s child (the shell exec'd node). */
function consolePid(scriptPid) {
  const kids = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  if (kids.length !== 1) throw new Error(`expected one child of script, found ${kids.length}`);
  return Number(kids[0]);
}
