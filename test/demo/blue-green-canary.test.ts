// Reference procedure (c) in plain mode: `cutover demo --yes` runs the checklist unattended; at
// 50% the new release breaks, the error rate stays above 1%, and the automatic rollback starts
// once its countdown runs out. Exit 1 (rolled back), nothing left behind.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import { tempDir } from '../support/sshd.js';
import { leftovers, processesUnder, startDemoChild } from './cli-child.js';
import { assertRolledBack } from './drive.js';

describe('demo: blue-green canary with automatic rollback (procedure c)', () => {
  const dir = tempDir('cutover-demo-c-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--yes: the canary at 50% trips errors-high and the rollback runs by itself after the countdown', async () => {
    const d = startDemoChild(dir, [
      '--runbook',
      'fixtures/runbooks/blue-green-canary.yaml',
      '--yes',
      '--time-scale',
      '120',
      '--metrics',
      'simulated',
    ]);
    const code = await d.exited;
    expect(d.err()).toBe('');
    expect(code).toBe(1);
    expect(d.out()).toMatch(/cutover demo: fixtures\/runbooks\/blue-green-canary\.yaml on a simulated fleet/);
    expect(d.out()).toMatch(/rollback back-to-green confirmed by auto \(errors-high\) \(auto\)/);
    expect(d.out()).toMatch(/cutover: rolled back \(back-to-green\): finished/);
    const path = /^journal: (.+\.jsonl)$/m.exec(d.out())![1];
    expect(verifyChain(path)).toMatchObject({ ok: true });
    const events = readJournal<SessionEvent>(path).entries.map((e) => e.event);
    assertRolledBack(events, { trigger: 'errors-high', beyond: (v) => v > 0.01, level: 'back-to-green', operator: 'bob', auto: true });
    // The countdown was shown before the rollback started by itself.
    const rec = events.find((e) => e.type === 'rollback/recommended' && e.trigger === 'errors-high') as Extract<
      SessionEvent,
      { type: 'rollback/recommended' }
    >;
    const confirmed = events.find((e) => e.type === 'rollback/confirmed')!;
    expect(rec.countdownUntil).toBeDefined();
    expect(confirmed.t).toBeGreaterThanOrEqual(rec.countdownUntil!);
    expect(leftovers(dir)).toEqual([]);
    expect(processesUnder(dir)).toEqual([]);
  }, 60_000);
});
