// The judge of each event (replay/plausible.ts), table-driven: what real journals hold passes (so a
// recorded session never shows a false alarm), what none could hold is a problem with its line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import type { LineProblem } from '../../src/replay/lines.js';
import { BACKWARDS_MS, MAX_SILENCE_MS, Plausibility } from '../../src/replay/plausible.js';

const START = JSON.parse(readFileSync('fixtures/sessions/checkout-rolled-back.jsonl', 'utf8').split('\n')[0]) as SessionEvent;
const T0 = START.t;
const NOW = T0 + 60 * 86_400_000;
const DAY = 86_400_000;

/** Judges `events` after the fixture's session/started (seq 1, 2, ... unless given); returns the problems. */
function judge(events: (SessionEvent | [number, SessionEvent])[]): LineProblem[] {
  const j = new Plausibility({ now: NOW });
  const out: LineProblem[] = [];
  const all: [number, SessionEvent][] = [[1, START], ...events.map((e, i): [number, SessionEvent] => (Array.isArray(e) ? e : [i + 2, e]))];
  all.forEach(([seq, e], i) => {
    if (j.judge(e, seq, i + 1, out)) j.folded(e, i + 1);
  });
  return out;
}

const note = (t: number): SessionEvent => ({ type: 'note/added', t, operator: 'o', text: 'x' });
const ev = (e: Record<string, unknown>) => e as unknown as SessionEvent;

describe('the judge of each event', () => {
  it.each([
    ['a note within the session', [note(T0 + 1000)]],
    ['time back by less than the tolerance (async stamping, an NTP step)', [note(T0 + 10_000), note(T0 + 10_000 - BACKWARDS_MS + 1)]],
    [
      'trigger/rearmed stamped at the end of its rollback, journaled with the next sample',
      [note(T0 + 60_000), ev({ type: 'trigger/rearmed', t: T0 + 20_000, trigger: 'errors-high', level: 'traffic', after: T0 + 20_000 })],
    ],
    [
      'a resume weeks later (a crash resumed after the holidays)',
      [note(T0 + 1000), ev({ type: 'session/resumed', t: T0 + 30 * DAY, operator: 'o', afterSeq: 2 })],
    ],
    [
      'session/resumed after session/ended, and events after it',
      [
        ev({ type: 'session/ended', t: T0 + 1000, outcome: 'quit' }),
        ev({ type: 'session/resumed', t: T0 + 2000, operator: 'o', afterSeq: 2 }),
        note(T0 + 3000),
      ],
    ],
    [
      'cutover exec: its ad-hoc command under the step "exec"',
      [ev({ type: 'command/started', t: T0, cmd: 'exec@h', step: 'exec', host: 'h', command: 'uptime' })],
    ],
    [
      'a rollback command of its level',
      [ev({ type: 'command/started', t: T0, cmd: 'c@h', step: 'shift-back', host: 'h', command: 'x', level: 'traffic' })],
    ],
    [
      'the readiness of the levels the runbook has',
      [ev({ type: 'rollback/readiness', t: T0, levels: [{ level: 'traffic', ready: 1, total: 1, down: [] }] })],
    ],
  ] as [string, SessionEvent[]][])('passes: %s', (_, events) => {
    expect(judge(events)).toEqual([]);
  });

  it.each([
    [
      'a time after a silence of more than a week',
      [note(T0 + MAX_SILENCE_MS + 1)],
      /^t .* after the event before it; a session is never silent that long$/,
    ],
    ['a time before 1970 for the session start', [], /is before 1970/, { ...START, t: -1 }],
    [
      'a rollback command of a step its level does not have',
      [ev({ type: 'command/started', t: T0, cmd: 'c@h', step: 'activate', host: 'h', command: 'x', level: 'traffic' })],
      /^command\/started of step 'activate', which rollback level 'traffic' does not have$/,
    ],
    [
      'a deploy command of a rollback step',
      [ev({ type: 'command/started', t: T0, cmd: 'c@h', step: 'shift-back', host: 'h', command: 'x' })],
      /^command\/started for step 'shift-back'/,
    ],
    [
      'the readiness of a level the runbook does not have',
      [
        ev({
          type: 'rollback/readiness',
          t: T0,
          levels: [
            { level: 'traffic', ready: 1, total: 1, down: [] },
            { level: 'nope', ready: 0, total: 1, down: [] },
          ],
        }),
      ],
      /^rollback\/readiness for rollback level 'nope'/,
    ],
    [
      'a recommendation by an unknown trigger',
      [ev({ type: 'rollback/recommended', t: T0, level: 'traffic', trigger: 'nope', reason: 'r' })],
      /^rollback\/recommended for trigger 'nope'/,
    ],
    [
      'an id quoting terminal escapes is quoted without them',
      [ev({ type: 'gate/decided', t: T0, phase: 'x\u001b]0;pwned\u0007', decision: 'go', operator: 'o' })],
      /^gate\/decided for phase 'x', which/,
    ],
  ] as [string, SessionEvent[], RegExp, SessionEvent?][])('a problem: %s', (_, events, message, start) => {
    const j = new Plausibility({ now: NOW });
    const out: LineProblem[] = [];
    [start ?? START, ...events].forEach((e, i) => {
      if (j.judge(e, i + 1, i + 1, out)) j.folded(e, i + 1);
    });
    expect(out.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
    expect(out[0].folded).toBeUndefined();
  });

  it('a resume with an edited runbook (accepted, journaled in session/resumed): its ids count from there on', () => {
    const rb = structuredClone(
      (START as { runbook: { phases: { id: string; title: string; steps: unknown[]; gate?: object }[] } }).runbook,
    );
    rb.phases.push({ id: 'extra', title: 'Added', steps: [], gate: { title: 'Extra gate' } });
    const gate = ev({ type: 'gate/decided', t: T0 + 3000, phase: 'extra', decision: 'go', operator: 'o' });
    expect(judge([gate]).map((p) => p.message)).toEqual([expect.stringMatching(/^gate\/decided for phase 'extra', which/)]);
    expect(judge([note(T0 + 1000), ev({ type: 'session/resumed', t: T0 + 2000, operator: 'o', afterSeq: 2, runbook: rb }), gate])).toEqual(
      [],
    );
  });

  it('a seq gap is flagged and folded; a repeated seq is skipped; the seq of a line that failed validation counts', () => {
    const j = new Plausibility({ now: NOW });
    const out: LineProblem[] = [];
    expect(j.judge(START, 1, 1, out)).toBe(true);
    j.folded(START, 1);
    j.seen(2); // line 2 failed validation, with a valid seq
    expect(j.judge(note(T0), 3, 3, out)).toBe(true);
    expect(j.judge(note(T0), 6, 4, out)).toBe(true);
    expect(j.judge(note(T0), 6, 5, out)).toBe(false);
    expect(out).toEqual([
      { line: 4, message: 'seq 6 where 4 was expected: 2 lines are missing before this one', folded: true },
      { line: 5, message: 'seq 6 comes again after seq 6: a copied or moved line' },
    ]);
  });

  it('a million passing events: no problem, and a few look-ups each (replay judges a million on open)', () => {
    const j = new Plausibility({ now: NOW });
    const out: LineProblem[] = [];
    j.judge(START, 1, 1, out);
    j.folded(START, 1);
    const e = ev({ type: 'command/output', t: T0, cmd: 'c@h', host: 'h', stream: 'stdout', text: 'x' });
    const started = ev({ type: 'command/started', t: T0, cmd: 'c@h', step: 'backup', host: 'h', command: 'x' });
    j.judge(started, 2, 2, out);
    j.folded(started, 2);
    const n = 1_000_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (j.judge(e, i + 3, i + 3, out)) j.folded(e, i + 3);
    const ns = ((performance.now() - t0) * 1e6) / n;
    expect(out).toEqual([]);
    // Generous (a loaded CI machine): a look-up or two per event takes tens of ns.
    expect(ns).toBeLessThan(2000);
  });
});

describe('the two-person rule, judged', () => {
  // The fixture's runbook with its first phase's gate needing two people.
  const rb = structuredClone((START as { runbook: { phases: { id: string; gate?: { approvals?: number } }[] } }).runbook);
  const gated = rb.phases.find((p) => p.gate)!;
  gated.gate!.approvals = 2;
  const start = { ...START, runbook: rb } as SessionEvent;
  const phase = gated.id;
  const run = (events: SessionEvent[]) => {
    const j = new Plausibility({ now: NOW });
    const out: LineProblem[] = [];
    [start, ...events].forEach((e, i) => {
      if (j.judge(e, i + 1, i + 1, out)) j.folded(e, i + 1);
    });
    return out.map((p) => p.message);
  };
  const asked = ev({
    type: 'approval/requested',
    t: T0 + 1000,
    id: 'r1',
    subject: { kind: 'gate', phase, decision: 'go' },
    operator: 'alice',
  });
  const approve = (by: string) => ev({ type: 'approval/decided', t: T0 + 2000, id: 'r1', decision: 'approve', by });
  const go = (approvedBy?: string) =>
    ev({ type: 'gate/decided', t: T0 + 2000, phase, decision: 'go', operator: 'alice', ...(approvedBy ? { approvedBy } : {}) });

  it('a GO approved by another person, after that approval, is a fact', () => {
    expect(run([asked, approve('bob'), go('bob')])).toEqual([]);
  });

  it('a GO without its approver, approved by the requester, or approved by no one before it, is a problem', () => {
    expect(run([go()])).toEqual([
      expect.stringMatching(/^gate\/decided: a GO of .*, which needs two people, without a second person's approval$/),
    ]);
    expect(run([asked, approve('bob'), go('alice')])).toEqual([expect.stringMatching(/approved by the same person$/)]);
    expect(run([go('bob')])).toEqual([expect.stringMatching(/but no approval of that request by bob comes before it$/)]);
    expect(run([asked, approve('alice\u200b')])).toEqual([
      expect.stringMatching(/^approval\/decided: alice\u200b approves the request alice made/),
    ]);
  });
});
