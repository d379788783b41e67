/** Synthetic journals for replay tests: a plausible session of any length, written in one go. */
import { writeFileSync } from 'node:fs';
import type { SessionEvent } from '../../src/core/index.js';
import { encodeLine, GENESIS_HASH } from '../../src/journal/index.js';
import { loadRunbookText } from '../../src/runbook/index.js';
import { CHECKOUT } from './scenario-runbooks.js';
import { T0 } from './scenario.js';

/** Options: an idle stretch (metrics only) of `gapMs` starting after event `gapAt`. */
export interface SyntheticOptions {
  gapAt?: number;
  gapMs?: number;
}

/** `n` events: samples, commands with output, a gate at 20%, a trigger and a rollback from 60%. */
export function syntheticEvents(n: number, o: SyntheticOptions = {}): SessionEvent[] {
  const rb = loadRunbookText('checkout.yaml', CHECKOUT).runbook!;
  const out: SessionEvent[] = [
    {
      type: 'session/started',
      t: T0,
      sessionId: 'synthetic',
      runbook: rb,
      runbookPath: 'checkout.yaml',
      runbookSha256: '0'.repeat(64),
      operator: 'alice',
      mode: 'live',
      version: '0.1.0',
    },
  ];
  let t = T0;
  let cmd = 0;
  const at = (f: number) => Math.floor(n * f);
  while (out.length < n) {
    const i = out.length;
    t += 100;
    if (o.gapAt !== undefined && i === o.gapAt) {
      // Nothing but samples for a while: what skip-idle jumps over.
      for (let g = 5000; g < (o.gapMs ?? 60_000) && out.length < n - 1; g += 5000)
        out.push({ type: 'metric/sampled', t: (t += 5000), panel: 'error_rate', at: t, series: [{ labels: {}, value: 0.001 }] });
      continue;
    }
    if (i === at(0.2)) out.push({ type: 'gate/decided', t, phase: 'pre', decision: 'go', operator: 'alice' });
    else if (i === at(0.6))
      out.push({ type: 'trigger/firing', t, trigger: 'errors-high', value: 0.08, check: '> 0.05', since: t - 30_000 });
    else if (i === at(0.6) + 1)
      out.push({
        type: 'rollback/recommended',
        t,
        level: 'traffic',
        trigger: 'errors-high',
        reason: 'errors-high (critical): Error rate is 8%, > 0.05 for 30s',
      });
    else if (i === at(0.62)) out.push({ type: 'rollback/confirmed', t, level: 'traffic', operator: 'alice' });
    else if (i === at(0.65)) out.push({ type: 'rollback/finished', t, level: 'traffic', ok: true, ms: 3000 });
    else if (i % 50 === 0)
      out.push({
        type: 'metric/sampled',
        t,
        panel: i % 100 ? 'error_rate' : 'p95_canary',
        at: t,
        series: [{ labels: {}, value: (i % 97) / 1000 }],
        ...(i % 100 ? {} : { baseline: [{ labels: {}, value: 0.2 }] }),
      });
    else if (i % 400 === 1)
      out.push({
        type: 'command/started',
        t,
        cmd: `c${++cmd}`,
        step: 'green-health',
        host: `app-${cmd % 40}.internal`,
        command: 'deployctl status',
      });
    else if (i % 400 === 399)
      out.push({ type: 'command/exited', t, cmd: `c${cmd}`, host: `app-${cmd % 40}.internal`, code: 0, ms: 39_800 });
    else
      out.push({
        type: 'command/output',
        t,
        cmd: `c${cmd}`,
        host: `app-${cmd % 40}.internal`,
        stream: 'stdout',
        text: `line ${i} of the deploy log\n`,
      });
  }
  return out;
}

/** Writes events as a chained journal (what JournalWriter would write), synchronously. */
export function writeJournal(path: string, events: readonly object[]): void {
  let prev = GENESIS_HASH;
  const lines: string[] = [];
  events.forEach((e, i) => {
    const l = encodeLine(i + 1, prev, e as { type: string; t: number });
    prev = l.hash;
    lines.push(l.text);
  });
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}
