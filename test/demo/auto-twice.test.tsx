// The case issue 11 saw: blue-green-canary.yaml plus one more auto trigger on a 15-minute error-rate
// window. After the automatic rollback finished, the triggers kept reading windows full of the bad
// minutes and the same level ran three times. Now: one rollback; a trigger that fires again after it
// re-armed recommends the level as information only, with no countdown, and nothing runs it again.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { tempDir } from '../support/sshd.js';
import { assertOneRollback, journal, operate, startDriven } from './drive.js';

describe('demo: two auto triggers, one of them on a 15-minute window', () => {
  const dir = tempDir('cutover-auto-twice-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the level runs once; the long window fires again only to inform', async () => {
    const file = join(dir, 'auto-twice.yaml');
    const base = readFileSync('fixtures/runbooks/blue-green-canary.yaml', 'utf8');
    writeFileSync(
      file,
      base
        .replace(
          /^phases:/m,
          `  - id: error_rate_15m
    title: Error rate (15m)
    query: sum(rate(http_requests_total{code=~"5.."}[15m])) / sum(rate(http_requests_total[15m]))
    unit: ratio
    warn: "> 0.005"
    crit: "> 0.01"
phases:`,
        )
        .replace(
          /^ {2}triggers:\n/m,
          `  triggers:\n    - { id: errors-15m, when: "error_rate_15m > 0.01", for: 30s, severity: critical, recommend: back-to-green, auto: true, countdown: 30s }\n`,
        ),
    );
    const d = await startDriven(file, { timeScale: 120 });
    let finishedAt = 0;
    try {
      await operate(d, 'hold-50');
      await expect.poll(() => d.session.state.rollback.run?.ok, { timeout: 40_000 }).toBe(true);
      finishedAt = d.session.state.rollback.run!.finishedAt!;
      // Twenty demo minutes after the rollback: longer than the 15-minute window it still reads.
      await expect.poll(() => d.session.now() - finishedAt, { timeout: 30_000, interval: 500 }).toBeGreaterThan((20 * 60_000) / 120);
    } finally {
      const events: SessionEvent[] = journal(await d.close());
      assertOneRollback(events);
      const after = events.filter((e) => e.t >= finishedAt);
      // Every trigger still holding when it ended started over on fresh samples.
      for (const e of after.filter((x) => x.type === 'trigger/firing'))
        expect(after.some((x) => x.type === 'trigger/rearmed' && x.trigger === (e as { trigger: string }).trigger)).toBe(true);
    }
  }, 90_000);
});
