// The story of a session (core/story.ts): which events make a timeline line, what it says and how
// much it matters. Given a session on the blue-green fixture and what happened before, when one more
// event comes, then it makes exactly this line, or none.
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type Alert, type SessionEvent, type Unstamped } from '../../src/core/index.js';
import type { JudgeVerdict } from '../../src/core/events.js';
import { SEVERITY_MARK } from '../../src/core/select-timeline.js';
import { StoryIndex, storyOf } from '../../src/core/story.js';
import { formatDuration } from '../../src/runbook/duration.js';
import { at, started, T0 } from './fixtures.js';

/** Events at T0 + 1s, 2s, ... in the order given. */
function timed(events: Unstamped[], from = 1): SessionEvent[] {
  return events.map((e, i) => at(from + i, e) as SessionEvent);
}

/** The line the last event makes after the session started and `before` happened, or undefined. */
function lineOf(before: Unstamped[], e: Unstamped): { severity: string; text: string; kind: string } | undefined {
  const all = [started(), ...timed([...before, e])];
  const lines = storyOf(all);
  const last = lines.at(-1)!;
  return last.index === all.length - 1 ? { severity: last.severity, text: last.text, kind: last.kind } : undefined;
}

const sample = (panel: string, value: number | 'NaN', baseline?: number): Unstamped => ({
  type: 'metric/sampled',
  panel,
  at: T0,
  series: [{ labels: {}, value }],
  ...(baseline !== undefined ? { baseline: [{ labels: {}, value: baseline }] } : {}),
});
const failed = (kind: 'refused' | 'query', message: string): Unstamped => ({ type: 'metric/failed', panel: 'error_rate', kind, message });
const alert = (name: string, severity?: string): Alert => ({
  name,
  startsAt: T0,
  labels: { alertname: name },
  ...(severity ? { severity } : {}),
});
const cmd = (id: string, host = 'lb1.internal'): Unstamped => ({
  type: 'command/started',
  cmd: id,
  step: 'shift',
  host,
  command: 'lbctl weight blue 50',
});
const out = (id: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): Unstamped => ({
  type: 'command/output',
  cmd: id,
  host: 'lb1.internal',
  stream,
  text,
});
const exit = (id: string, code = 0, ms = 2000): Unstamped => ({ type: 'command/exited', cmd: id, host: 'lb1.internal', code, ms });
const trig = (type: 'trigger/pending' | 'trigger/firing' | 'trigger/resolved', trigger: string, value: number | null): Unstamped => ({
  type,
  trigger,
  value,
  check: trigger === 'p95-slow' ? 'ratio > 2' : '> 0.05',
  since: T0,
});

const judged = (verdict: JudgeVerdict['verdict']): Omit<JudgeVerdict, 't'> => ({
  type: 'judge/verdict',
  score: 0,
  verdict,
  pass: 95,
  marginal: 75,
  ...(verdict === 'fail' ? { forced: 'critical p95_canary is High' } : {}),
  metrics: [
    {
      panel: 'p95_canary',
      group: 'p95_canary',
      critical: true,
      mustHaveData: false,
      confidence: 0.98,
      window: { start: T0 - 600_000, end: T0, step: 15_000 },
      class: 'High',
      canaryCount: 40,
      baselineCount: 40,
      canaryMean: 0.41,
      baselineMean: 0.2,
      u: 1600,
      p: 1.2e-14,
      estimate: 0.21,
      lower: 0.19,
      upper: 0.23,
      effect: 2.05,
      why: 'x',
    },
  ],
});
const FAIL_LINE =
  'canary score 0 of 100: FAIL (pass ≥ 95, marginal ≥ 75); 0 because critical p95_canary is High: p95_canary HIGH (40 vs 40 values, U 1600, p 1.2e-14, shift +210ms [+190ms, +230ms] 98%, effect 2.05×)';

type Case = [name: string, before: Unstamped[], event: Unstamped, line: [severity: string, text: string] | undefined];

const CASES: Case[] = [
  // Samples and sparklines never; a panel's status change once.
  ['a first sample that is ok says nothing', [], sample('error_rate', 0.001), undefined],
  ['ok to warning', [sample('error_rate', 0.001)], sample('error_rate', 0.02), ['warn', 'Error rate: WARNING 2% > 1%']],
  ['a first sample already critical', [], sample('error_rate', 0.08), ['crit', 'Error rate: CRITICAL 8% > 5%']],
  ['warning to critical', [sample('error_rate', 0.02)], sample('error_rate', 0.08), ['crit', 'Error rate: CRITICAL 8% > 5% (was WARNING)']],
  [
    'critical down to warning',
    [sample('error_rate', 0.08)],
    sample('error_rate', 0.02),
    ['warn', 'Error rate: WARNING 2% > 1% (was CRITICAL)'],
  ],
  [
    'a warning just under the critical threshold never reads as if it reached it',
    [sample('error_rate', 0.08)],
    sample('error_rate', 0.04996),
    ['warn', 'Error rate: WARNING 4.996% > 1% (was CRITICAL)'],
  ],
  [
    'critical to ok is a recovery',
    [sample('error_rate', 0.08)],
    sample('error_rate', 0.001),
    ['ok', 'Error rate: recovered at 0.1% (was CRITICAL)'],
  ],
  ['a warning that stays a warning', [sample('error_rate', 0.02)], sample('error_rate', 0.03), undefined],
  ['ok that stays ok', [sample('error_rate', 0.001)], sample('error_rate', 0.002), undefined],
  [
    'no series is no data',
    [sample('error_rate', 0.001)],
    { type: 'metric/sampled', panel: 'error_rate', at: T0, series: [] },
    ['warn', 'Error rate: no data: the query returned no series'],
  ],
  [
    'Prometheus unreachable',
    [sample('error_rate', 0.001)],
    failed('refused', 'connection refused'),
    ['warn', 'Error rate: unreachable: connection refused'],
  ],
  [
    'still unreachable: once',
    [sample('error_rate', 0.001), failed('refused', 'connection refused')],
    failed('refused', 'again'),
    undefined,
  ],
  [
    'a query error',
    [sample('error_rate', 0.001)],
    failed('query', 'parse error at char 3'),
    ['warn', 'Error rate: query error: parse error at char 3'],
  ],
  [
    'back after unreachable',
    [failed('refused', 'connection refused')],
    sample('error_rate', 0.001),
    ['ok', 'Error rate: back, 0.1% (was unreachable)'],
  ],
  [
    'back after unreachable, but critical',
    [failed('refused', 'connection refused')],
    sample('error_rate', 0.08),
    ['crit', 'Error rate: CRITICAL 8% > 5% (was unreachable)'],
  ],
  [
    'a compare panel over its ratio: both values and the ratio',
    [sample('p95_canary', 0.2, 0.2)],
    sample('p95_canary', 0.6, 0.2),
    ['crit', 'p95 canary vs baseline: CRITICAL canary 600ms = 3× baseline 200ms > 2×'],
  ],
  ['a sample of a panel the runbook does not have', [], sample('nope', 1), undefined],
  ['a sparkline refresh', [], { type: 'metric/range', panel: 'error_rate', from: T0, step: 15_000, points: [[T0, 0.5]] }, undefined],
  // Alerts: when one starts or stops firing; Alertmanager's first failure and its return.
  ['no alerts firing, as before', [], { type: 'alerts/updated', alerts: [] }, undefined],
  [
    'an alert starts firing',
    [],
    { type: 'alerts/updated', alerts: [alert('HighErrors', 'critical')] },
    ['crit', 'alerts: firing: HighErrors (critical)'],
  ],
  [
    'the same alert, polled again',
    [{ type: 'alerts/updated', alerts: [alert('HighErrors')] }],
    { type: 'alerts/updated', alerts: [alert('HighErrors')] },
    undefined,
  ],
  [
    'one starts, another stops',
    [{ type: 'alerts/updated', alerts: [alert('HighErrors')] }],
    { type: 'alerts/updated', alerts: [alert('DiskFull', 'warning')] },
    ['warn', 'alerts: firing: DiskFull (warning); stopped firing: HighErrors'],
  ],
  [
    'an alert stops firing',
    [{ type: 'alerts/updated', alerts: [alert('HighErrors')] }],
    { type: 'alerts/updated', alerts: [] },
    ['ok', 'alerts: stopped firing: HighErrors'],
  ],
  [
    'Alertmanager fails',
    [],
    { type: 'alerts/failed', kind: 'timeout', message: 'no answer in 4s' },
    ['warn', 'alerts: cannot read Alertmanager (timeout): no answer in 4s'],
  ],
  [
    'Alertmanager fails again: once',
    [{ type: 'alerts/failed', kind: 'timeout', message: 'no answer in 4s' }],
    { type: 'alerts/failed', kind: 'timeout', message: 'no answer in 4s' },
    undefined,
  ],
  [
    'Alertmanager answers again',
    [{ type: 'alerts/failed', kind: 'timeout', message: 'no answer in 4s' }],
    { type: 'alerts/updated', alerts: [] },
    ['ok', 'alerts: Alertmanager answers again'],
  ],
  // Steps, with their title when they start.
  ['a step starts', [], { type: 'step/started', phase: 'cutover-50', step: 'shift' }, ['info', 'step shift started: Shift 50%']],
  ['a step passes', [], { type: 'step/passed', step: 'shift', detail: '1/1 hosts ok' }, ['ok', 'step shift passed: 1/1 hosts ok']],
  [
    'a step fails',
    [],
    { type: 'step/failed', step: 'shift', error: 'lb1.internal exit 2' },
    ['crit', 'step shift failed: lb1.internal exit 2'],
  ],
  [
    'a step is skipped',
    [],
    { type: 'step/skipped', step: 'soak', reason: 'no time', operator: 'alice' },
    ['warn', 'step soak skipped by alice: no time'],
  ],
  // Commands: start and exit per host, output summed up in the exit line, never a line itself.
  ['a command starts', [], cmd('c1'), ['info', 'lb1.internal$ lbctl weight blue 50']],
  ['a command writes output', [cmd('c1')], out('c1', 'weight set\n'), undefined],
  [
    'a command exits: its line count and last line',
    [cmd('c1'), out('c1', 'blue 50%\ngreen'), out('c1', ' 50%\n'), out('c1', 'oops\n', 'stderr'), out('c1', '\n')],
    exit('c1'),
    ['ok', 'lb1.internal exit 0 after 2s: 4 lines, last: "oops"'],
  ],
  [
    'a last line split across chunks is told whole',
    [cmd('c1'), out('c1', 'starting\ndeploy finished: 3 of 3 hosts o'), out('c1', 'k'), out('c1', '\n')],
    exit('c1'),
    ['ok', 'lb1.internal exit 0 after 2s: 2 lines, last: "deploy finished: 3 of 3 hosts ok"'],
  ],
  [
    'an unfinished last line is told as far as it went',
    [cmd('c1'), out('c1', 'progress: 10%'), out('c1', ' 20%')],
    exit('c1'),
    ['ok', 'lb1.internal exit 0 after 2s: 1 line, last: "progress: 10% 20%"'],
  ],
  [
    'a last line with terminal controls reads plain',
    [cmd('c1'), out('c1', 'deploy \x1b]0;owned\x07done\x1b[2J\n')],
    exit('c1'),
    ['ok', 'lb1.internal exit 0 after 2s: 1 line, last: "deploy done"'],
  ],
  ['a command exits without output', [cmd('c1')], exit('c1'), ['ok', 'lb1.internal exit 0 after 2s, no output']],
  [
    'a command fails',
    [cmd('c1'), out('c1', 'no such pool\n', 'stderr')],
    exit('c1', 2),
    ['crit', 'lb1.internal exit 2 after 2s: 1 line, last: "no such pool"'],
  ],
  [
    'a command that never ran',
    [cmd('c1')],
    { type: 'command/exited', cmd: 'c1', host: 'lb1.internal', code: null, error: 'host key mismatch', ms: 30 },
    ['crit', 'lb1.internal host key mismatch after 30ms, no output'],
  ],
  // Gates.
  [
    'a gate says go',
    [],
    { type: 'gate/decided', phase: 'pre', decision: 'go', operator: 'alice', reason: 'all green' },
    ['ok', 'gate pre: GO by alice: all green'],
  ],
  [
    'a gate says no-go',
    [],
    { type: 'gate/decided', phase: 'pre', decision: 'no-go', operator: 'alice' },
    ['warn', 'gate pre: NO-GO by alice'],
  ],
  // Triggers: the value against the condition, in the panel's unit.
  [
    'a trigger pending',
    [],
    trig('trigger/pending', 'errors-high', 0.08),
    ['warn', 'trigger errors-high pending: Error rate 8% > 5%, fires if it holds 30s'],
  ],
  [
    'a trigger firing',
    [],
    trig('trigger/firing', 'errors-high', 0.08),
    ['crit', 'trigger errors-high FIRING: Error rate 8% > 5% for 30s (critical)'],
  ],
  [
    'a ratio trigger firing',
    [],
    trig('trigger/firing', 'p95-slow', 3),
    ['crit', `trigger p95-slow FIRING: p95 canary vs baseline 3× > 2× for ${formatDuration(60_000)} (major)`],
  ],
  [
    'a trigger firing on no data',
    [],
    trig('trigger/firing', 'errors-high', null),
    ['crit', 'trigger errors-high FIRING: Error rate no data, condition > 5% for 30s (critical)'],
  ],
  [
    'a trigger resolved',
    [],
    trig('trigger/resolved', 'errors-high', 0.01),
    ['ok', 'trigger errors-high resolved: Error rate 1%, condition > 5%'],
  ],
  ['a trigger the runbook does not have', [], trig('trigger/firing', 'gone', 0.08), ['crit', 'trigger gone FIRING: 0.08 > 0.05']],
  [
    'a trigger re-armed',
    [],
    { type: 'trigger/rearmed', trigger: 'errors-high', level: 'traffic', after: T0 },
    ['info', 'trigger errors-high re-armed after rollback traffic: only samples from now on count'],
  ],
  // Rollbacks.
  [
    'a rollback recommended',
    [],
    { type: 'rollback/recommended', level: 'traffic', trigger: 'errors-high', reason: 'errors-high fired' },
    ['crit', 'rollback traffic recommended: errors-high fired'],
  ],
  [
    'a rollback confirmed',
    [],
    { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' },
    ['warn', 'rollback traffic confirmed by alice'],
  ],
  [
    'a rollback waited for the deploy',
    [],
    { type: 'rollback/waited', level: 'traffic', ms: 2000, running: [] },
    ['info', 'rollback traffic: the deploy stopped in 2s'],
  ],
  [
    'a rollback step passed',
    [],
    { type: 'rollback/step', level: 'traffic', step: 'shift-back', status: 'passed' },
    ['ok', 'rollback traffic: shift-back passed'],
  ],
  [
    'a rollback step failed',
    [],
    { type: 'rollback/step', level: 'traffic', step: 'shift-back', status: 'failed', error: 'exit 1' },
    ['crit', 'rollback traffic: shift-back failed: exit 1'],
  ],
  [
    'a rollback finished',
    [],
    { type: 'rollback/finished', level: 'traffic', ok: true, ms: 4000 },
    ['ok', 'rollback traffic finished in 4s'],
  ],
  [
    'a rollback aborted',
    [],
    { type: 'rollback/aborted', level: 'traffic', operator: 'bob', reason: 'wrong level' },
    ['crit', 'rollback traffic aborted by bob: wrong level'],
  ],
  [
    'a recommendation dismissed',
    [],
    { type: 'rollback/dismissed', level: 'traffic', operator: 'bob' },
    ['info', 'rollback traffic recommendation dismissed by bob'],
  ],
  [
    'the way back connected on every host',
    [],
    { type: 'rollback/readiness', levels: [{ level: 'traffic', ready: 1, total: 1, down: [] }] },
    ['ok', 'rollback hosts: traffic ready 1/1'],
  ],
  [
    'a host of the way back is not ready: which, and why',
    [],
    {
      type: 'rollback/readiness',
      levels: [
        { level: 'traffic', ready: 1, total: 1, down: [] },
        { level: 'code', ready: 1, total: 3, down: [{ host: 'blue-2', error: 'connect ECONNREFUSED' }] },
      ],
    },
    ['warn', 'rollback hosts: traffic ready 1/1; code 1/3 ready, blue-2: connect ECONNREFUSED (+1 more)'],
  ],
  // The canary judge: a line when the verdict changes, with the figures of what is not Pass; decisions like a gate's.
  ['a first judgment that fails', [], judged('fail'), ['crit', FAIL_LINE]],
  ['the same verdict again says nothing', [judged('fail')], judged('fail'), undefined],
  ['a first judgment without data says nothing', [], judged('nodata'), undefined],
  [
    'a judgment that passes after one that failed',
    [judged('fail')],
    { ...judged('pass'), score: 100, metrics: [] },
    ['ok', 'canary score 100 of 100: PASS (pass ≥ 95, marginal ≥ 75)'],
  ],
  [
    'the operator decides a marginal canary',
    [],
    { type: 'judge/decided', decision: 'no-go', operator: 'alice', score: 80, reason: 'p95 creeping up' },
    ['warn', 'canary judge: NO-GO by alice at score 80: p95 creeping up'],
  ],
  // Notes, marks and the session.
  ['a note', [], { type: 'note/added', operator: 'alice', text: 'canary looks noisy' }, ['info', 'note (alice): canary looks noisy']],
  [
    'a mark from a script: its text, who and which command',
    [],
    {
      type: 'mark/added',
      kind: 'info',
      text: 'db migration 3/7',
      source: { user: 'ci', pid: 4242, command: 'bash ./deploy.sh --env prod' },
    },
    ['info', 'mark: db migration 3/7 (ci: bash deploy.sh)'],
  ],
  [
    'an error mark is critical',
    [],
    {
      type: 'mark/added',
      kind: 'error',
      text: 'smoke test failed',
      source: { user: 'ci', pid: 4242, command: 'bash ./deploy.sh --env prod' },
    },
    ['crit', 'mark ERROR: smoke test failed (ci: bash deploy.sh)'],
  ],
  [
    'a warning mark warns',
    [],
    {
      type: 'mark/added',
      kind: 'warning',
      text: 'retrying upload',
      source: { user: 'ci', pid: 4242, command: 'bash ./deploy.sh --env prod' },
    },
    ['warn', 'mark WARNING: retrying upload (ci: bash deploy.sh)'],
  ],
  [
    'a phase mark is a marker',
    [],
    {
      type: 'mark/added',
      kind: 'phase',
      text: 'switching traffic',
      source: { user: 'ci', pid: 4242, command: 'bash ./deploy.sh --env prod' },
    },
    ['info', '▶▶ switching traffic (ci: bash deploy.sh)'],
  ],
  [
    'a gate GO waits for a second approver',
    [],
    {
      type: 'approval/requested',
      id: 'gate-pre-go-9',
      subject: { kind: 'gate', phase: 'pre', decision: 'go' },
      operator: 'alice',
      reason: 'looks good',
    },
    ['warn', 'alice asks a second person to approve gate pre GO: looks good (request gate-pre-go-9)'],
  ],
  [
    'the second person approves',
    [],
    {
      type: 'approval/decided',
      id: 'gate-pre-go-9',
      decision: 'approve',
      by: 'bob',
      source: { user: 'ci', pid: 4242, command: 'bash ./deploy.sh --env prod' },
    },
    ['ok', 'request gate-pre-go-9 approved by bob'],
  ],
  [
    'the second person refuses, with a reason',
    [],
    {
      type: 'approval/decided',
      id: 'rollback-traffic-3',
      decision: 'refuse',
      by: 'bob',
      reason: 'not yet',
      source: { user: 'ci', pid: 4242, command: 'bash ./deploy.sh --env prod' },
    },
    ['warn', 'request rollback-traffic-3 REFUSED by bob: not yet'],
  ],
  [
    'a gate decided with a second approver names both',
    [],
    { type: 'gate/decided', phase: 'pre', decision: 'go', operator: 'alice', approvedBy: 'bob' },
    ['ok', 'gate pre: GO by alice, approved by bob'],
  ],
  // Notifications: a delivery is the journal's business; a failure is told.
  [
    'a notification delivered',
    [],
    { type: 'notify/delivered', webhook: 'ops', event: 'gate/decided', eventSeq: 7, status: 200, attempts: 1, ms: 80 },
    undefined,
  ],
  [
    'a notification not delivered',
    [],
    { type: 'notify/failed', webhook: 'ops', event: 'rollback/failed', eventSeq: 9, attempts: 3, ms: 16_000, error: 'no answer within 5s' },
    ['warn', 'notification of rollback/failed to ops not delivered after 3 attempts: no answer within 5s'],
  ],
  ['a resume', [], { type: 'session/resumed', operator: 'bob', afterSeq: 42 }, ['warn', 'session resumed by bob after event 42']],
  ['the end, completed', [], { type: 'session/ended', outcome: 'completed' }, ['ok', 'session ended: completed']],
  [
    'the end, failed',
    [],
    { type: 'session/ended', outcome: 'failed', reason: 'step shift failed' },
    ['crit', 'session ended: failed (step shift failed)'],
  ],
];

describe('the story: which events make a line, and what it says', () => {
  it.each(CASES)('%s', (_name, before, event, line) => {
    const got = lineOf(before, event);
    expect(got && [got.severity, got.text]).toEqual(line);
  });

  it('the cases cover every event type', () => {
    const covered = new Set(CASES.map(([, , e]) => e.type));
    expect(EVENT_TYPES.filter((t) => t !== 'session/started' && !covered.has(t))).toEqual([]);
  });

  it('the session start is a line, and lines carry wall time and T+elapsed', () => {
    const [first, gate] = storyOf([started(), at(75, { type: 'gate/decided', phase: 'pre', decision: 'go', operator: 'alice' })]);
    expect(first).toMatchObject({ index: 0, kind: 'session', severity: 'info', elapsed: 'T+00:00' });
    expect(first.text).toMatch(/^session started by alice: checkout-api/);
    expect(gate).toMatchObject({ index: 1, clock: '22:01:15', elapsed: 'T+01:15', kind: 'gate' });
  });

  it('every severity has a two-column mark that reads without colour', () => {
    for (const mark of Object.values(SEVERITY_MARK)) expect([...mark]).toHaveLength(2);
    expect(new Set(Object.values(SEVERITY_MARK).map((m) => m.trim())).size).toBe(4);
  });
});

describe('a metric state change is one line, however many samples', () => {
  it('thousands of samples across ok, critical and back make three lines', () => {
    const s = new StoryIndex();
    s.add(started(), 0);
    let i = 1;
    const feed = (n: number, value: (k: number) => number) => {
      for (let k = 0; k < n; k++) s.add(at(i, sample('error_rate', value(k))) as SessionEvent, i++);
    };
    feed(1000, (k) => 0.001 + (k % 7) / 1e4);
    feed(2000, (k) => 0.08 + (k % 5) / 100);
    feed(1000, (k) => 0.002 + (k % 3) / 1e4);
    const lines = Array.from({ length: s.length }, (_, k) => s.get(k));
    expect(lines.map((l) => [l.index, l.severity])).toEqual([
      [0, 'info'],
      [1001, 'crit'],
      [3001, 'ok'],
    ]);
  });

  it('before(n) counts the lines of the first n events (replay shows the story up to its position)', () => {
    const s = new StoryIndex();
    const events = [
      started(),
      ...timed([sample('error_rate', 0.08), sample('error_rate', 0.09), { type: 'note/added', operator: 'a', text: 'x' }]),
    ];
    for (const [i, e] of events.entries()) s.add(e, i);
    expect([0, 1, 2, 3, 4].map((n) => s.before(n))).toEqual([0, 1, 2, 2, 3]);
  });
});
