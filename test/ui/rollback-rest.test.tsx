// Given a runbook's rollback levels and no rollback yet, then the pane prepares the way back: each
// level with its steps, the hosts it touches, its expected duration, the recommended one and why;
// with few rows the selected level stays expanded and the others take a line each.
import { afterEach, describe, expect, it } from 'vitest';
import { OutputTails, reduceAll, selectRollback, type SessionEvent } from '../../src/core/index.js';
import type { Runbook } from '../../src/runbook/index.js';
import { App } from '../../src/ui/App.js';
import { rollbackLines } from '../../src/ui/panes/rollback/rows.js';
import { lineWidth, plain } from '../../src/ui/rows.js';
import { T0, at, runbook, started } from '../core/fixtures.js';
import { renderSized, type Rendered } from '../support/ink.js';
import { liveModel } from './live.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

const recommended = (level: string) =>
  at(5, {
    type: 'rollback/recommended',
    level,
    trigger: 'errors-high',
    reason: 'errors-high: Error rate 15.5% > 5% for 30s',
  }) as SessionEvent;

function pane(o: { rb?: Runbook; events?: SessionEvent[]; width: number; height: number; cursor?: number }) {
  const rb = o.rb ?? runbook();
  const state = reduceAll([started(rb), ...(o.events ?? [])]);
  const lines = rollbackLines({
    view: selectRollback(state, T0 + 10_000),
    cursor: o.cursor ?? 0,
    hostCursor: 0,
    commands: state.commands,
    tails: new OutputTails(),
    now: T0 + 10_000,
    width: o.width,
    height: o.height,
    color: false,
    readOnly: false,
    runbook: rb,
  });
  for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(o.width);
  expect(lines.length).toBeLessThanOrEqual(o.height);
  return lines.map(plain);
}

describe('at rest, with room (160x48: the pane is about 78x18)', () => {
  it('shows every level with its reach, expected duration and steps, and the recommended one with why', () => {
    const text = pane({ events: [recommended('traffic')], width: 78, height: 18 });
    expect(text).toEqual([
      '▸ Level 1: traffic back to green  ~2m  ◀ RECOMMENDED',
      '    why: errors-high: Error rate 15.5% > 5% for 30s',
      '    1 step · lb: 1 host',
      '    1. All traffic to green  ssh lb (1 host): lbctl weight blue 0',
      '  Level 2: code rollback  ~15m',
      '    2 steps · blue: 2 hosts, this machine',
      '    1. Activate v2.0.5  ssh blue (2 hosts): deployctl activate v2.0.5',
      '    2. Undo the k8s rollout  local: kubectl rollout undo deploy/checkout',
    ]);
  });

  it('a long reason wraps under the level instead of being cut', () => {
    const reason = 'errors-high (critical): Error rate was 15.5% when it fired (> 10% for 30s), measured on every host of blue';
    const events = [at(5, { type: 'rollback/recommended', level: 'traffic', trigger: 'errors-high', reason }) as SessionEvent];
    const text = pane({ events, width: 60, height: 18 });
    const at0 = text.findIndex((l) => l.startsWith('    why: '));
    let end = at0 + 1;
    while (text[end]?.startsWith('      ')) end++;
    const why = text.slice(at0, end);
    expect(why.length).toBeGreaterThan(1);
    expect(why.every((l) => !l.endsWith('…'))).toBe(true);
    expect(why.map((l) => l.trim()).join(' ')).toBe(`why: ${reason}`);
  });

  it('without a recommendation, says so and how to open a level', () => {
    const text = pane({ width: 78, height: 18 });
    expect(text.at(-1)).toBe('no trigger recommends a rollback; R opens the selected level');
    expect(text.some((l) => l.includes('RECOMMENDED') || l.includes('why:'))).toBe(false);
  });

  it('a level that already ran says when and how it went', () => {
    const events = [
      at(6, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' }) as SessionEvent,
      at(8, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 2000 }) as SessionEvent,
    ];
    const state = reduceAll([started(), ...events]);
    // Once it has run, the pane shows the run (as during it), and the level's line carries its last run.
    expect(selectRollback(state, T0 + 10_000).levels[0].lastRun).toBe('started T+00:06, OK');
  });
});

describe('few rows (80x24 gives the pane two to six rows)', () => {
  it.each([
    // [height, cursor, what must be there]
    [
      6,
      1,
      [
        '  Level 1: traffic back to green  ~2m  ◀ RECOMMENDED  1 step · lb: 1 host',
        '    why:',
        '▸ Level 2: code rollback',
        '    2 steps',
        '    1. Activate',
        '    2. Undo',
      ],
    ],
    [5, 1, ['  Level 1', '    why:', '▸ Level 2: code rollback  ~15m', '    2 steps', '    … 2 more steps']],
    [3, 1, ['  Level 1', '    why:', '▸ Level 2: code rollback  ~15m  2 steps · blue: 2 hosts, this machine']],
    [2, 1, ['▸ Level 2: code rollback  ~15m  2 steps · blue: 2 hosts, this machine']],
    [1, 0, ['▸ Level 1: traffic back to green  ~2m  ◀ RECOMMENDED']],
  ])('%i rows, level %i selected: degrades by folding the other levels, then steps, never losing the selection', (height, cursor, want) => {
    const text = pane({ events: [recommended('traffic')], width: 78, height, cursor });
    for (const w of want)
      expect(
        text.some((l) => l.startsWith(w)),
        `${w} in\n${text.join('\n')}`,
      ).toBe(true);
  });

  it('a countdown stays on the first row however few rows there are', () => {
    const events = [
      at(5, {
        type: 'rollback/recommended',
        level: 'code',
        trigger: 'p95-slow',
        reason: 'p95-slow: canary 4.1s = 21× baseline > 2×',
        countdownUntil: T0 + 25_000,
      }) as SessionEvent,
    ];
    for (const height of [1, 2, 3, 10]) {
      const text = pane({ events, width: 78, height, cursor: 1 });
      expect(text[0]).toBe('AUTO ROLLBACK in 15s: press c to cancel');
      if (height > 1)
        expect(
          text.some((l) => l.startsWith('▸ Level 2: code rollback')),
          text.join('\n'),
        ).toBe(true);
    }
  });

  it('three levels, the middle one selected, 4 rows: the others one line each', () => {
    const text = pane({ rb: runbook('three-level-rollback'), width: 78, height: 4, cursor: 1 });
    expect(text[0]).toMatch(/^ {2}\S/);
    expect(text.filter((l) => l.startsWith('▸ '))).toHaveLength(1);
    expect(text.findIndex((l) => l.startsWith('▸ '))).toBe(1);
  });
});

describe('in the console', () => {
  it.each([
    [80, 24],
    [160, 48],
  ])('at %ix%i the rollback pane shows the levels at rest, nothing wider than the screen', async (columns, rows) => {
    const { model } = await liveModel();
    r = renderSized(<App model={model} color={false} />, columns, rows);
    await expect.poll(() => r!.lastFrame()).toMatch(/Level 1: traffic back to green {2}~2m/);
    const frame = r.lastFrame();
    for (const l of frame.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
    if (columns === 160) {
      expect(frame).toMatch(/1\. All traffic to green {2}ssh lb \(1 host\): lbctl weight blue 0/);
      expect(frame).toMatch(/2 steps · blue: 2 hosts, this machine/);
    }
  });
});

describe('readiness of the way back (the warm pool)', () => {
  const ready = (levels: { level: string; ready: number; total: number; down?: { host: string; error: string }[] }[]) =>
    at(2, { type: 'rollback/readiness', levels: levels.map((l) => ({ down: [], ...l })) }) as SessionEvent;

  it('each level says ready N/N, or how many are ready and which host is not and why', () => {
    const text = pane({
      events: [
        ready([
          { level: 'traffic', ready: 1, total: 1 },
          { level: 'code', ready: 1, total: 2, down: [{ host: 'blue-2', error: 'connect ECONNREFUSED 10.0.0.12:22' }] },
        ]),
      ],
      width: 78,
      height: 18,
    });
    expect(text[0]).toBe('▸ Level 1: traffic back to green  ~2m  ready 1/1');
    expect(text).toContain('  Level 2: code rollback  ~15m  1/2 ready');
    expect(text).toContain('    not ready: blue-2: connect ECONNREFUSED 10.0.0.12:22');
  });

  it('a later report replaces the earlier one, and a rollback keeps it', () => {
    const text = pane({
      events: [
        ready([
          {
            level: 'code',
            ready: 0,
            total: 2,
            down: [
              { host: 'blue-1', error: 'x' },
              { host: 'blue-2', error: 'y' },
            ],
          },
        ]),
        ready([{ level: 'code', ready: 2, total: 2 }]),
        at(4, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' }) as SessionEvent,
      ],
      width: 78,
      height: 18,
    });
    expect(reduceAll([started(runbook()), ready([{ level: 'code', ready: 2, total: 2 }])]).rollback.readiness?.code).toMatchObject({
      ready: 2,
      total: 2,
    });
    expect(text.join('\n')).not.toMatch(/blue-1|0\/2/);
    const state = reduceAll([
      started(runbook()),
      ready([{ level: 'code', ready: 2, total: 2 }]),
      at(4, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' }) as SessionEvent,
    ]);
    expect(state.rollback.readiness?.code?.ready).toBe(2);
  });
});

describe('readiness after a rollback', () => {
  it('the level lines of a run still say whether the way back is warm', () => {
    const text = pane({
      events: [
        at(2, { type: 'rollback/readiness', levels: [{ level: 'traffic', ready: 1, total: 1, down: [] }] }) as SessionEvent,
        at(3, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' }) as SessionEvent,
        at(4, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 900 }) as SessionEvent,
      ],
      width: 78,
      height: 18,
    });
    expect(text[0]).toMatch(/^▸ Level 1: traffic back to green {2}~2m {2}ready 1\/1/);
  });
});
