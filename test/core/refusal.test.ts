// The rules for what an operator may do, table-driven: every intent, allowed and refused, with the reason's wording.
import { describe, expect, it } from 'vitest';
import { reduceAll, refusal, type Intent, type LiveFacts, type SessionEvent, type Unstamped } from '../../src/core/index.js';
import { at, runbook, started, T0 } from './fixtures.js';

const rb = runbook();
const parallelRb = (() => {
  const r = structuredClone(rb);
  r.phases[0].steps[2].parallel = true;
  return r;
})();

const noGateRb = (() => {
  const r = structuredClone(rb);
  delete r.phases[0].gate;
  return r;
})();

type E = Unstamped;
const ev = (...es: [number, E][]) => es.map(([s, e]) => at(s, e) as SessionEvent);
const passed = (step: string, s = 1): [number, E][] => [
  [s, { type: 'step/started', phase: 'pre', step }],
  [s + 1, { type: 'step/passed', step }],
];
const allPre = [...passed('backup', 1), ...passed('green-health', 3), ...passed('err-low', 5), ...passed('lb-up', 7)];
const go: [number, E] = [10, { type: 'gate/decided', phase: 'pre', decision: 'go', operator: 'alice' }];
const confirmed: [number, E] = [20, { type: 'rollback/confirmed', level: 'traffic', operator: 'alice' }];
const finished: [number, E] = [30, { type: 'rollback/finished', level: 'traffic', ok: true, ms: 10_000 }];
const recommended: [number, E] = [15, { type: 'rollback/recommended', level: 'traffic', trigger: 'errors-high', reason: 'errors' }];
const ended: [number, E] = [40, { type: 'session/ended', outcome: 'quit' }];
const failing: LiveFacts = { notRecording: 'no space left on device (ENOSPC)' };
const NOT_REC = /^NOT RECORDING \(ENOSPC\): only roll back, abort, no-go and quit work$/;

interface Row {
  name: string;
  events: [number, E][];
  intent: Intent;
  live?: LiveFacts;
  parallel?: boolean;
  /** The runbook without its gate: two phases one after the other. */
  noGate?: boolean;
  /** undefined: allowed; else the refusal must match. */
  refused?: RegExp;
}

const rows: Row[] = [
  // run (tick a manual step, run any other)
  { name: 'run: the first step of the first phase', events: [], intent: { kind: 'run', step: 'backup' } },
  {
    name: 'run: a step before its predecessor passed',
    events: [],
    intent: { kind: 'run', step: 'green-health' },
    refused: /^waits for "Database backup verified" \(backup\) to pass or be skipped first$/,
  },
  { name: 'run: a step whose predecessor passed', events: passed('backup'), intent: { kind: 'run', step: 'green-health' } },
  {
    name: 'run: a step whose predecessor was skipped',
    events: [[1, { type: 'step/skipped', step: 'backup', reason: 'done', operator: 'a' }]],
    intent: { kind: 'run', step: 'green-health' },
  },
  {
    name: 'run: a step whose predecessor is running',
    events: [[1, { type: 'step/started', phase: 'pre', step: 'backup' }]],
    intent: { kind: 'run', step: 'green-health' },
    refused: /^waits for "Database backup verified"/,
  },
  {
    name: 'run: a later step waits for the first open one',
    events: passed('backup'),
    intent: { kind: 'run', step: 'lb-up' },
    refused: /^waits for "Green answers health" \(green-health\)/,
  },
  { name: 'run: parallel: true opts out of the order', events: [], intent: { kind: 'run', step: 'err-low' }, parallel: true },
  {
    name: 'run: a step after a parallel one still waits for it',
    events: [...passed('backup'), ...passed('green-health', 3)],
    intent: { kind: 'run', step: 'lb-up' },
    parallel: true,
    refused: /^waits for "Error rate below 0.1%" \(err-low\)/,
  },
  {
    name: 'run: a phase after an undecided gate',
    events: allPre,
    intent: { kind: 'run', step: 'shift' },
    refused: /^locked until "GATE 1: go \/ no-go" says go$/,
  },
  {
    name: 'run: a phase after a no-go',
    events: [...allPre, [10, { type: 'gate/decided', phase: 'pre', decision: 'no-go', operator: 'a', reason: 'r' }]],
    intent: { kind: 'run', step: 'shift' },
    refused: /^locked until "GATE 1/,
  },
  { name: 'run: the phase after a go', events: [...allPre, go], intent: { kind: 'run', step: 'shift' } },
  {
    name: 'run: already running',
    events: [[1, { type: 'step/started', phase: 'pre', step: 'backup' }]],
    intent: { kind: 'run', step: 'backup' },
    refused: /^already running$/,
  },
  {
    name: 'run: launched, not yet folded',
    events: [],
    intent: { kind: 'run', step: 'backup' },
    live: { launching: new Set(['backup']) },
    refused: /^already running$/,
  },
  { name: 'run: already passed', events: passed('backup'), intent: { kind: 'run', step: 'backup' }, refused: /^already passed$/ },
  {
    name: 'run: failed asks for r or s',
    events: [
      [1, { type: 'step/started', phase: 'pre', step: 'backup' }],
      [2, { type: 'step/failed', step: 'backup', error: 'x' }],
    ],
    intent: { kind: 'run', step: 'backup' },
    refused: /^failed: r retries it, s skips it$/,
  },
  { name: 'run: unknown step', events: [], intent: { kind: 'run', step: 'nope' }, refused: /^no step 'nope' in this runbook$/ },
  { name: 'run: while the journal cannot write', events: [], intent: { kind: 'run', step: 'backup' }, live: failing, refused: NOT_REC },
  {
    name: 'run: while a rollback runs',
    events: [confirmed],
    intent: { kind: 'run', step: 'backup' },
    refused: /^a rollback is running: the deploy waits until it ends$/,
  },
  { name: 'run: after the rollback finished', events: [confirmed, finished], intent: { kind: 'run', step: 'backup' } },
  {
    name: 'run: while the session is ending',
    events: [],
    intent: { kind: 'run', step: 'backup' },
    live: { ending: true },
    refused: /^the session is ending: running commands are being cancelled and recorded$/,
  },
  {
    name: 'rollback: while the session is ending',
    events: [],
    intent: { kind: 'rollback', level: 'traffic' },
    live: { ending: true },
    refused: /^the session is ending/,
  },
  { name: 'quit: while the session is ending', events: [], intent: { kind: 'quit' }, live: { ending: true } },
  {
    name: 'run: a later phase waits for the steps of an earlier one (no gate between)',
    events: passed('backup'),
    intent: { kind: 'run', step: 'shift' },
    noGate: true,
    refused: /^waits for "Green answers health" \(green-health\)/,
  },
  {
    name: 'run: a later phase after every earlier step is done (no gate between)',
    events: allPre,
    intent: { kind: 'run', step: 'shift' },
    noGate: true,
  },
  { name: 'run: after the session ended', events: [ended], intent: { kind: 'run', step: 'backup' }, refused: /^the session has ended$/ },
  // retry
  {
    name: 'retry: a failed step',
    events: [
      [1, { type: 'step/started', phase: 'pre', step: 'backup' }],
      [2, { type: 'step/failed', step: 'backup', error: 'x' }],
    ],
    intent: { kind: 'retry', step: 'backup' },
  },
  { name: 'retry: a pending step', events: [], intent: { kind: 'retry', step: 'backup' }, refused: /^only a failed step can be retried$/ },
  {
    name: 'retry: while the journal cannot write',
    events: [
      [1, { type: 'step/started', phase: 'pre', step: 'backup' }],
      [2, { type: 'step/failed', step: 'backup', error: 'x' }],
    ],
    intent: { kind: 'retry', step: 'backup' },
    live: failing,
    refused: NOT_REC,
  },
  // skip
  { name: 'skip: opening the dialog (no reason yet)', events: [], intent: { kind: 'skip', step: 'backup' } },
  { name: 'skip: with a reason', events: [], intent: { kind: 'skip', step: 'backup', reason: 'done by the DBA' } },
  {
    name: 'skip: with an empty reason',
    events: [],
    intent: { kind: 'skip', step: 'backup', reason: '   ' },
    refused: /^a skip needs a reason: type why$/,
  },
  {
    name: 'skip: a running step',
    events: [[1, { type: 'step/started', phase: 'pre', step: 'backup' }]],
    intent: { kind: 'skip', step: 'backup', reason: 'x' },
    refused: /^running: wait for it, or let it fail$/,
  },
  {
    name: 'skip: a passed step',
    events: passed('backup'),
    intent: { kind: 'skip', step: 'backup', reason: 'x' },
    refused: /^already passed$/,
  },
  { name: 'skip: in a locked phase', events: [], intent: { kind: 'skip', step: 'shift', reason: 'x' }, refused: /^locked until "GATE 1/ },
  {
    name: 'skip: while the journal cannot write',
    events: [],
    intent: { kind: 'skip', step: 'backup', reason: 'x' },
    live: failing,
    refused: NOT_REC,
  },
  // gate
  {
    name: 'gate: opening before the phase is done',
    events: passed('backup'),
    intent: { kind: 'gate', phase: 'pre' },
    refused: /^finish the phase first: green-health, err-low, lb-up not done$/,
  },
  { name: 'gate: opening when the phase is done', events: allPre, intent: { kind: 'gate', phase: 'pre' } },
  { name: 'gate: go', events: allPre, intent: { kind: 'gate', phase: 'pre', decision: 'go', reason: '' } },
  { name: 'gate: no-go with a reason', events: allPre, intent: { kind: 'gate', phase: 'pre', decision: 'no-go', reason: 'p95 too high' } },
  {
    name: 'gate: no-go without a reason',
    events: allPre,
    intent: { kind: 'gate', phase: 'pre', decision: 'no-go', reason: ' ' },
    refused: /^a no-go needs a reason: type why$/,
  },
  {
    name: 'gate: go twice',
    events: [...allPre, go],
    intent: { kind: 'gate', phase: 'pre', decision: 'go', reason: '' },
    refused: /^this gate already said go$/,
  },
  {
    name: 'gate: go while the journal cannot write',
    events: allPre,
    intent: { kind: 'gate', phase: 'pre', decision: 'go', reason: '' },
    live: failing,
    refused: NOT_REC,
  },
  {
    name: 'gate: no-go while the journal cannot write (stopping is never refused)',
    events: allPre,
    intent: { kind: 'gate', phase: 'pre', decision: 'no-go', reason: 'disk full' },
    live: failing,
  },
  {
    name: 'gate: opening while the journal cannot write (a NO-GO stays possible)',
    events: allPre,
    intent: { kind: 'gate', phase: 'pre' },
    live: failing,
  },
  {
    name: 'gate: opening while a rollback runs (a NO-GO stays possible)',
    events: [...allPre, confirmed],
    intent: { kind: 'gate', phase: 'pre' },
  },
  {
    name: 'gate: go while a rollback runs',
    events: [...allPre, confirmed],
    intent: { kind: 'gate', phase: 'pre', decision: 'go', reason: '' },
    refused: /^a rollback is running/,
  },
  {
    name: 'gate: a phase without a gate',
    events: [],
    intent: { kind: 'gate', phase: 'cutover-50' },
    refused: /^phase 'cutover-50' has no gate$/,
  },
  // note
  { name: 'note: opening the dialog', events: [], intent: { kind: 'note' } },
  { name: 'note: empty', events: [], intent: { kind: 'note', text: '  ' }, refused: /^an empty note says nothing/ },
  {
    name: 'note: while the journal cannot write (kept for the fallback file)',
    events: [],
    intent: { kind: 'note', text: 'disk full' },
    live: failing,
  },
  // rollback
  { name: 'rollback: a level', events: [], intent: { kind: 'rollback', level: 'traffic' } },
  { name: 'rollback: while the journal cannot write', events: [], intent: { kind: 'rollback', level: 'code' }, live: failing },
  { name: 'rollback: unknown level', events: [], intent: { kind: 'rollback', level: 'nope' }, refused: /^no rollback level 'nope'$/ },
  {
    name: 'rollback: while one runs',
    events: [confirmed],
    intent: { kind: 'rollback', level: 'code' },
    refused: /^a rollback is already running/,
  },
  {
    name: 'rollback: while one starts (not folded yet)',
    events: [],
    intent: { kind: 'rollback', level: 'code' },
    live: { rollbackActive: true },
    refused: /^a rollback is already running/,
  },
  { name: 'rollback: after one finished', events: [confirmed, finished], intent: { kind: 'rollback', level: 'code' } },
  { name: 'rollback: an auto trigger, level never run', events: [], intent: { kind: 'rollback', level: 'traffic', auto: true } },
  {
    name: 'rollback: an auto trigger, level already ran OK',
    events: [confirmed, finished],
    intent: { kind: 'rollback', level: 'traffic', auto: true },
    refused: /^level traffic already ran \(started T\+00:20, OK\): a trigger never starts a level twice; the operator decides$/,
  },
  {
    name: 'rollback: an auto trigger, level ran and was aborted',
    events: [confirmed, [25, { type: 'rollback/aborted', level: 'traffic', operator: 'a' }]],
    intent: { kind: 'rollback', level: 'traffic', auto: true },
    refused: /^level traffic already ran \(started T\+00:20, aborted\)/,
  },
  {
    name: 'rollback: a person, level already ran (the dialog says so)',
    events: [confirmed, finished],
    intent: { kind: 'rollback', level: 'traffic' },
  },
  {
    name: 'rollback: an auto trigger, another level ran',
    events: [confirmed, finished],
    intent: { kind: 'rollback', level: 'code', auto: true },
  },
  {
    name: 'rollback: after the session ended',
    events: [ended],
    intent: { kind: 'rollback', level: 'traffic' },
    refused: /^the session has ended$/,
  },
  // abort, dismiss, quit
  { name: 'abort: nothing runs', events: [], intent: { kind: 'abort-rollback' }, refused: /^no rollback is running$/ },
  { name: 'abort: a running rollback', events: [confirmed], intent: { kind: 'abort-rollback' } },
  { name: 'abort: while the journal cannot write', events: [confirmed], intent: { kind: 'abort-rollback' }, live: failing },
  {
    name: 'abort: after it finished',
    events: [confirmed, finished],
    intent: { kind: 'abort-rollback' },
    refused: /^no rollback is running$/,
  },
  { name: 'dismiss: nothing recommended', events: [], intent: { kind: 'dismiss' }, refused: /^nothing is recommended$/ },
  { name: 'dismiss: a recommendation', events: [recommended], intent: { kind: 'dismiss' } },
  { name: 'quit: always', events: [confirmed], intent: { kind: 'quit' }, live: failing },
  { name: 'quit: even after the end', events: [ended], intent: { kind: 'quit' } },
];

describe('refusal(state, intent, now, live)', () => {
  it.each(rows)('$name', (row) => {
    const state = reduceAll([started(row.parallel ? parallelRb : row.noGate ? noGateRb : rb), ...ev(...row.events)]);
    const got = refusal(state, row.intent, T0 + 60_000, row.live ?? {});
    if (row.refused) expect(got).toMatch(row.refused);
    else expect(got).toBeUndefined();
  });

  it('covers every intent kind, each both allowed and refused (quit is never refused)', () => {
    const kinds = ['run', 'retry', 'skip', 'gate', 'note', 'rollback', 'abort-rollback', 'dismiss', 'quit'] satisfies Intent['kind'][];
    for (const k of kinds) {
      const of = rows.filter((r) => r.intent.kind === k);
      expect(
        of.some((r) => !r.refused),
        `${k} allowed somewhere`,
      ).toBe(true);
      if (k !== 'quit')
        expect(
          of.some((r) => r.refused),
          `${k} refused somewhere`,
        ).toBe(true);
    }
  });

  it('refuses everything before the session has started', () => {
    expect(refusal(reduceAll([]), { kind: 'run', step: 'backup' }, T0)).toBe('the session has not started');
  });
});

describe('samePerson: names as they read on screen', () => {
  it('case, blanks, invisible characters, escape sequences and look-alike forms do not make another person', async () => {
    const { samePerson } = await import('../../src/core/refusal.js');
    for (const n of ['Alice', ' alice ', 'alice\u200b', 'ali\u001b[31mce', 'a\u2066lice', '\uff41lice', 'alice\u00a0'])
      expect(samePerson(n, 'alice'), JSON.stringify(n)).toBe(true);
    for (const n of ['alicia', 'bob', 'al1ce']) expect(samePerson(n, 'alice'), n).toBe(false);
  });
});
