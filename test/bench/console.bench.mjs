#!/usr/bin/env node
// The console under load, measured from outside (DESIGN.md §5, issue 15): console-child.mjs runs
// the real console on a pseudo-terminal (util-linux `script`, 160x48) with bin/cutover's V8 flags,
// while 200 hosts stream 50 lines/s each and 20 panels update every second. This process is the
// operator's terminal: it writes each key to the terminal and waits for the frame that shows the
// cursor on the step it moved to. Keypress latency runs from the key written to that frame read;
// the console's CPU is read from /proc for its process (load generation included, as real drivers
// would cost it too). At least 200 keys per run, 3 runs. Budgets: p99 < 50 ms, CPU < 30% of a core.
import { fileURLToPath } from 'node:url';
import { median, percentile, processCpuMs } from './fleet.mjs';
import { openTerminal } from './pty.mjs';
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
console.log(
  `load: 200 hosts x 50 lines/s, 20 panels/s; ${RUNS} runs, ${all.length} keys, from the key written to the terminal to its frame`,
);
console.log(
  `keypress to frame  p50 ${median(all).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  (budget p99 < 50 ms) ${p99 < 50 ? 'OK' : 'OVER'}`,
);
console.log(`console CPU        watching ${watching.toFixed(1)}% of a core (worst run; budget < 30%) ${watching < 30 ? 'OK' : 'OVER'}`);
console.log(`                   typing   ${typing.toFixed(1)}% of a core (worst run; budget < 30%) ${typing < 30 ? 'OK' : 'OVER'}`);
process.exit(0);

/** One console on a fresh terminal: settle, watch, then type. */
async function oneRun() {
  const term = openTerminal([process.execPath, ...consoleFlags(), child], { env: { ...process.env, NODE_ENV: 'production', CI: '' } });
  try {
    if (!(await term.until((l) => l.some((x) => x.includes('Step number 0')), 30_000)))
      throw new Error('the console never drew its first frame');
    const pid = term.pid();
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
      const want = new RegExp(`▸.*Step number ${cursor}(?!\\d)`);
      const sent = term.press(down ? '\x1b[B' : '\x1b[A');
      // The frame that shows the cursor on the step it moved to.
      const shown = await term.until((l) => l.some((x) => want.test(x)), 5000);
      if (shown === undefined) throw new Error(`the cursor never showed on step ${cursor}`);
      latencies.push(shown - sent);
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
    }
    const typing = ((processCpuMs(pid) - c0) / (performance.now() - t0)) * 100;
    return { latencies, watching, typing };
  } catch (e) {
    console.error(`console bench: ${e.message}${term.errors() ? `\nthe console said: ${term.errors().slice(-2000)}` : ''}`);
    process.exit(1);
  } finally {
    term.close();
  }
}
