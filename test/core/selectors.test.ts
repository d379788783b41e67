import { describe, expect, it } from 'vitest';
import {
  reduceAll,
  selectAlert,
  selectChecklist,
  selectHealth,
  selectRollback,
  selectStatus,
  selectFiringTriggers,
  timelineLine,
  refusal,
  type SessionEvent,
} from '../../src/core/index.js';
import { T0, at, runbook, started } from './fixtures.js';

const fold = (...events: SessionEvent[]) => reduceAll([started(), ...events]);
const sample = (
  sec: number,
  panel: string,
  series: { labels?: Record<string, string>; value: number | 'NaN' | '+Inf' }[],
  baseline?: { value: number }[],
) =>
  at(sec, {
    type: 'metric/sampled',
    panel,
    at: T0 + sec * 1000,
    series: series.map((s) => ({ labels: s.labels ?? {}, value: s.value })),
    ...(baseline ? { baseline: baseline.map((b) => ({ labels: {}, value: b.value })) } : {}),
  }) as SessionEvent;

describe('selectHealth', () => {
  const row = (s: ReturnType<typeof fold>, id: string, now = T0 + 2000) => selectHealth(s, now).find((r) => r.id === id)!;

  it.each([
    [0.001, 'ok', '0.1%'],
    [0.02, 'warn', '2%'],
    [0.08, 'crit', '8%'],
  ])('value %d is %s, shown as %s', (v, status, text) => {
    const r = row(fold(sample(1, 'error_rate', [{ value: v }])), 'error_rate');
    expect(r).toMatchObject({ status, text, crit: '> 5%', warn: '> 1%' });
  });

  it('no series is no data, never 0', () => {
    const r = row(fold(sample(1, 'error_rate', [])), 'error_rate');
    expect(r.status).toBe('nodata');
    expect(r.text).toBe('no data');
    expect(r.value).toBeUndefined();
  });

  it('a value older than two intervals is stale', () => {
    const s = fold(sample(1, 'error_rate', [{ value: 0.001 }]));
    expect(row(s, 'error_rate', T0 + 1000 + 10_000).status).toBe('ok');
    expect(row(s, 'error_rate', T0 + 1000 + 10_001).status).toBe('stale');
  });

  it('NaN and +Inf are shown as such; NaN is unknown, never OK', () => {
    expect(row(fold(sample(1, 'error_rate', [{ value: 'NaN' }])), 'error_rate')).toMatchObject({ text: 'NaN', status: 'unknown' });
    expect(row(fold(sample(1, 'error_rate', [{ value: '+Inf' }])), 'error_rate')).toMatchObject({ text: '+Inf', status: 'crit' });
  });

  it('NaN sorts after everything, -Inf included', async () => {
    const { sortSeries } = await import('../../src/core/index.js');
    const out = sortSeries([
      { labels: { a: '1' }, value: 'NaN' },
      { labels: { a: '2' }, value: '-Inf' },
      { labels: { a: '3' }, value: 2 },
    ]);
    expect(out.map((x) => x.labels.a)).toEqual(['3', '2', '1']);
  });

  it('several series: top few by value, none silently dropped from the count', () => {
    const series = [0.001, 0.09, 0.02, 0.03, 0.005].map((value, i) => ({ labels: { instance: `h${i}` }, value }));
    const r = row(fold(sample(1, 'error_rate', series)), 'error_rate');
    expect(r.seriesCount).toBe(5);
    expect(r.series.map((s) => s.labels)).toEqual(['{instance="h1"}', '{instance="h3"}', '{instance="h2"}']);
    expect(r.status).toBe('crit');
  });

  it('unreachable and query errors are distinct from no data', () => {
    const down = fold(
      at(1, { type: 'metric/failed', panel: 'error_rate', kind: 'refused', message: 'connection refused' }) as SessionEvent,
    );
    expect(row(down, 'error_rate')).toMatchObject({ status: 'unreachable', detail: 'connection refused' });
    const bad = fold(at(1, { type: 'metric/failed', panel: 'error_rate', kind: 'query', message: 'parse error' }) as SessionEvent);
    expect(row(bad, 'error_rate').status).toBe('error');
  });

  it('compare panels: ratio, and unknown ratio when the baseline is 0 or missing', () => {
    expect(row(fold(sample(1, 'p95_canary', [{ value: 0.5 }], [{ value: 0.2 }])), 'p95_canary')).toMatchObject({
      status: 'crit',
      compare: { ratio: 2.5 },
    });
    expect(row(fold(sample(1, 'p95_canary', [{ value: 0.3 }], [{ value: 0.2 }])), 'p95_canary').status).toBe('ok');
    const zero = row(fold(sample(1, 'p95_canary', [{ value: 0.5 }], [{ value: 0 }])), 'p95_canary');
    // Its only check is on the ratio, which cannot be evaluated: unknown, neither ok nor firing.
    expect(zero.status).toBe('unknown');
    expect(zero.compare?.ratio).toBeUndefined();
    expect(zero.detail).toMatch(/ratio unknown/);
    const missing = row(fold(sample(1, 'p95_canary', [{ value: 0.5 }], [])), 'p95_canary');
    expect(missing.compare?.ratio).toBeUndefined();
    expect(missing.status).toBe('unknown');
  });
});

describe('selectChecklist', () => {
  it('phases after an undecided gate are locked, and say which gate', () => {
    const rows = selectChecklist(fold(), T0);
    expect(rows.map((r) => r.status)).toEqual(['pending', 'locked']);
    expect(rows[1].lockedBy).toBe('GATE 1: go / no-go');
  });

  it('all steps done makes the phase wait at its gate; go unlocks the next', () => {
    const done = ['backup', 'green-health', 'err-low', 'lb-up'].flatMap((step, i) => [
      at(i * 10, { type: 'step/started', phase: 'pre', step }) as SessionEvent,
      at(i * 10 + 5, { type: 'step/passed', step }) as SessionEvent,
    ]);
    let s = fold(...done);
    expect(selectChecklist(s, T0 + 60_000)[0].status).toBe('gate');
    expect(refusal(s, { kind: 'run', step: 'shift' }, s.t)).toMatch(/locked until "GATE 1/);
    s = reduceAll([at(40, { type: 'gate/decided', phase: 'pre', decision: 'go', operator: 'alice' }) as SessionEvent], s);
    const rows = selectChecklist(s, T0 + 60_000);
    expect(rows.map((r) => r.status)).toEqual(['done', 'pending']);
    expect(rows[0].actualMs).toBe(40_000);
    expect(refusal(s, { kind: 'run', step: 'shift' }, s.t)).toBeUndefined();
  });

  it('a phase running past its planned time is late', () => {
    const s = fold(at(0, { type: 'step/started', phase: 'pre', step: 'backup' }) as SessionEvent);
    expect(selectChecklist(s, T0 + 4 * 60_000)[0].late).toBe(false);
    expect(selectChecklist(s, T0 + 6 * 60_000)[0].late).toBe(true);
  });
});

describe('triggers and rollback', () => {
  const fire = (trigger: string, sec: number) =>
    at(sec, { type: 'trigger/firing', trigger, value: 3, check: 'x', since: T0 }) as SessionEvent;

  it('recommends the most severe firing trigger; ties go to the first fired', () => {
    const s = fold(fire('p95-slow', 1), fire('errors-high', 2));
    expect(selectFiringTriggers(s).map((t) => t.id)).toEqual(['errors-high', 'p95-slow']);
    const view = selectRollback(s, T0 + 3000);
    expect(view.recommended).toMatchObject({ level: 'traffic', trigger: 'errors-high' });
    expect(view.levels.find((l) => l.id === 'traffic')?.recommended).toBe(true);
  });

  it('shows per-host progress of a running rollback', () => {
    const s = fold(
      at(1, { type: 'rollback/confirmed', level: 'code', operator: 'alice' }) as SessionEvent,
      at(1, { type: 'rollback/step', level: 'code', step: 'activate', status: 'started' }) as SessionEvent,
      at(1, {
        type: 'command/started',
        cmd: 'a1',
        step: 'activate',
        level: 'code',
        host: 'app-b1.internal',
        command: 'deployctl activate v2.0.5',
      }) as SessionEvent,
      at(4, { type: 'command/exited', cmd: 'a1', host: 'app-b1.internal', code: 0, ms: 3000 }) as SessionEvent,
      at(4, {
        type: 'command/started',
        cmd: 'a2',
        step: 'activate',
        level: 'code',
        host: 'app-b2.internal',
        command: 'deployctl activate v2.0.5',
      }) as SessionEvent,
    );
    const run = selectRollback(s, T0 + 6000).run!;
    expect(run.status).toBe('running');
    expect(run.expectedMs).toBe(15 * 60_000);
    expect(run.hosts.map((h) => [h.host, h.status, h.elapsedMs])).toEqual([
      ['app-b1.internal', 'ok', 3000],
      ['app-b2.internal', 'running', 2000],
    ]);
  });
});

describe('timeline and status', () => {
  it('every event is one line with wall time and T+elapsed', () => {
    const e = at(75, { type: 'gate/decided', phase: 'pre', decision: 'go', operator: 'alice', reason: 'all green' }) as SessionEvent;
    expect(timelineLine(e, T0)).toEqual({
      t: T0 + 75_000,
      clock: '22:01:15',
      elapsed: 'T+01:15',
      kind: 'gate',
      severity: 'ok',
      text: 'gate pre: GO by alice: all green',
    });
    const out = at(1, { type: 'command/output', cmd: 'c', host: 'h1', stream: 'stderr', text: 'a\nb\nc\n' }) as SessionEvent;
    expect(timelineLine(out, T0).text).toBe('h1 ! a (+2 lines)');
  });

  it('a rollback that stopped because it was aborted reads ABORTED, not FAILED', () => {
    const line = (extra: object) =>
      timelineLine(at(9, { type: 'rollback/finished', level: 'traffic', ok: false, ms: 2000, ...extra }) as SessionEvent, T0).text;
    expect(line({ aborted: true })).toBe('rollback traffic ABORTED, stopped in 2s');
    expect(line({})).toBe('rollback traffic FAILED in 2s');
  });

  it('the status bar knows the runbook, elapsed time and Prometheus state', () => {
    const s = fold(
      at(1, { type: 'metric/failed', panel: 'error_rate', kind: 'refused', message: 'x' }) as SessionEvent,
      sample(1, 'p95_canary', [{ value: 1 }], [{ value: 1 }]),
    );
    expect(selectStatus(s, T0 + 65_000)).toMatchObject({
      runbook: runbook().name,
      elapsed: 'T+01:05',
      prometheus: 'degraded',
      operator: 'alice',
    });
  });
});

describe('selectAlert: what the status bar says first', () => {
  const T = (sec: number, e: object) => at(sec, e as never) as SessionEvent;
  const alert = (...es: SessionEvent[]) => selectAlert(fold(...es), T0 + 100_000);
  const confirmed = T(10, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice', graceMs: 5000 });
  it.each([
    ['nothing', [], undefined],
    [
      'stopping the deploy first',
      [confirmed],
      { kind: 'rolling-back', text: 'STOPPING THE DEPLOY, then ROLLING BACK traffic', key: 'x abort' },
    ],
    [
      'rolling back',
      [confirmed, T(11, { type: 'rollback/waited', level: 'traffic', ms: 900, running: [] })],
      { kind: 'rolling-back', text: 'ROLLING BACK traffic', key: 'x abort' },
    ],
    [
      'a countdown',
      [T(5, { type: 'rollback/recommended', level: 'traffic', trigger: 'p95-slow', reason: 'r', countdownUntil: T0 + 112_000 })],
      { kind: 'countdown', text: 'AUTO ROLLBACK traffic in 12s', key: 'c cancel' },
    ],
    [
      'a recommendation',
      [T(5, { type: 'rollback/recommended', level: 'traffic', trigger: 'errors-high', reason: 'r' })],
      { kind: 'recommended', text: 'ROLL BACK? traffic (errors-high)', key: 'R roll back traffic' },
    ],
    [
      'a level that fires again after it ran',
      [
        confirmed,
        T(12, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 2000 }),
        T(20, { type: 'rollback/recommended', level: 'traffic', trigger: 'errors-high', reason: 'r' }),
      ],
      { kind: 'recommended', text: 'STILL FIRING errors-high after rollback traffic (started T+00:10, OK)', key: 'R run traffic again' },
    ],
    [
      'the outcome stays beside firing and pending triggers',
      [
        confirmed,
        T(12, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 2000 }),
        T(20, { type: 'trigger/firing', trigger: 'errors-high', value: 0.2, check: '> 0.05', since: T0 }),
        T(60, { type: 'trigger/pending', trigger: 'p95-slow', value: 3, check: 'ratio > 2', since: T0 + 60_000 }),
      ],
      { kind: 'rolled-back', text: 'ROLLED BACK traffic in 2s · FIRING errors-high · PENDING p95-slow: fires in 00:20' },
    ],
  ] as [string, SessionEvent[], object | undefined][])('%s', (_n, events, want) => {
    expect(alert(...events)).toEqual(want);
  });
});
