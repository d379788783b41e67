// Issue 11 point 6: decision bands without fake levels. A trigger without `recommend` only
// informs (monitor, fix forward); `auto: true` must name the level it runs.
import { describe, expect, it } from 'vitest';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';

const load = (triggers: string) =>
  loadRunbookText(
    'rb.yaml',
    [
      'name: t',
      'prometheus: { url: "http://127.0.0.1:9090" }',
      'health: [{ id: errors, title: Errors, query: "x", unit: ratio, warn: "> 0.005", crit: "> 0.1" }]',
      'phases: [{ id: p, title: P, steps: [{ id: s, title: S, manual: true }] }]',
      'rollback:',
      '  levels: [{ id: undo, title: Undo, steps: [{ id: u, title: U, manual: true }] }]',
      '  triggers:',
      ...triggers.split('\n').map((l) => `    ${l}`),
      '',
    ].join('\n'),
    {},
  );

describe('decision bands', () => {
  it('an inform-only band (no recommend), an investigate window (for) and an immediate automatic band load', () => {
    const l = load(
      [
        '- { id: fix-forward, when: "errors > 0.005", severity: warning }',
        '- { id: investigate, when: "errors > 0.02", for: 30m, severity: minor, recommend: undo }',
        '- { id: now, when: "errors > 0.1", severity: critical, recommend: undo, auto: true, countdown: 10s }',
      ].join('\n'),
    );
    expect(l.problems).toEqual([]);
    const [inform, window, now] = l.runbook!.rollback!.triggers!;
    expect(inform.recommend).toBeUndefined();
    expect(window).toMatchObject({ recommend: 'undo', for: 30 * 60_000 });
    expect(now).toMatchObject({ recommend: 'undo', auto: true, countdown: 10_000 });
    expect(now.for).toBeUndefined();
  });

  it('auto: true without recommend is an error at auto, naming the levels', () => {
    expect(load('- { id: t, when: "errors > 0.1", severity: critical, auto: true }').problems.map(formatProblem)).toEqual([
      'rb.yaml:8:64: auto: true needs recommend: the level to run (one of undo); without recommend the trigger only informs',
    ]);
  });
});
