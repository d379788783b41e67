// The live session's state equals a fold of what its journal reads back, for random sequences of
// every kind of event: the guarantee that makes replay exact. The output tails, which live
// outside the state, are held to the same guarantee: the live buffer equals one fed the journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPlainJson, EVENT_TYPES, OutputTails, reduceAll, type EventType, type SessionEvent } from '../../src/core/index.js';
import { JournalWriter, readJournal } from '../../src/journal/index.js';
import { foldAll } from '../../src/replay/fold.js';
import { EventStore } from '../../src/session/store.js';
import { T0, started } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const steps = ['backup', 'green-health', 'err-low', 'lb-up', 'shift', 'soak'];
const rollbackSteps = ['shift-back', 'activate', 'undo'];
const panels = ['error_rate', 'p95_canary'];
const levels = ['traffic', 'code'];
const triggers = ['errors-high', 'p95-slow'];
const text = fc.string({ unit: 'binary', maxLength: 40 });
const time = fc.integer({ min: T0, max: T0 + 1e6 });
const errorKind = fc.constantFrom(
  'refused' as const,
  'dns' as const,
  'timeout' as const,
  'http' as const,
  'bad-response' as const,
  'query' as const,
  'network' as const,
  'config' as const,
);
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)),
  fc.constantFrom('NaN' as const, '+Inf' as const, '-Inf' as const),
);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0));
const labels = fc.dictionary(fc.constantFrom('instance', 'job', 'code'), text, { maxKeys: 2, noNullPrototype: true });
const series = fc.array(fc.record({ labels, value }), { maxLength: 4 });
const cmd = fc.constantFrom('c1', 'c2', 'c3');
const level = fc.constantFrom(...levels);
const trigger = fc.constantFrom(...triggers);
type Values<T> = { [P in keyof T]: T[P] extends fc.Arbitrary<infer V> ? V : never };
/** A record whose keys other than `required` are sometimes left out (never set to undefined: JSON has no undefined). */
const some = <T extends Record<string, fc.Arbitrary<unknown>>, K extends keyof T & string>(model: T, ...required: K[]) =>
  fc.record(model, { requiredKeys: required }) as unknown as fc.Arbitrary<Pick<Values<T>, K> & Partial<Values<T>>>;
const triggerPayload = { trigger, value: fc.option(value, { nil: null }), check: text, since: time };

/** One arbitrary per event type: the mapped type makes leaving a type out a compile error. */
const byType: { [K in EventType]: fc.Arbitrary<Omit<Extract<SessionEvent, { type: K }>, 't' | 'type'>> } = {
  'session/started': fc.constant((({ t: _t, type: _type, ...rest }) => rest)(started())),
  'session/resumed': fc.record({ operator: text, afterSeq: fc.nat() }),
  'session/ended': some(
    { outcome: fc.constantFrom('completed' as const, 'rolled-back' as const, 'quit' as const, 'rollback-failed' as const), reason: text },
    'outcome',
  ),
  'metric/sampled': some(
    { panel: fc.constantFrom(...panels), at: time, series, baseline: series, warnings: fc.array(text, { maxLength: 2 }) },
    'panel',
    'at',
    'series',
  ),
  'metric/failed': some(
    { panel: fc.constantFrom(...panels), kind: errorKind, message: text, role: fc.constantFrom('canary' as const, 'baseline' as const) },
    'panel',
    'kind',
    'message',
  ),
  'metric/range': fc.record({
    panel: fc.constantFrom(...panels),
    from: time,
    step: fc.integer({ min: 1, max: 60_000 }),
    points: fc.array(fc.tuple(time, value), { maxLength: 5 }),
  }),
  'alerts/updated': fc.record({
    alerts: fc.array(some({ name: text, severity: text, summary: text, startsAt: time, labels }, 'name', 'startsAt', 'labels'), {
      maxLength: 3,
    }),
  }),
  'alerts/failed': fc.record({ kind: errorKind, message: text }),
  'step/started': some({ phase: fc.constantFrom('pre', 'cutover-50'), step: fc.constantFrom(...steps), operator: text }, 'phase', 'step'),
  'step/passed': some({ step: fc.constantFrom(...steps), detail: text }, 'step'),
  'step/failed': fc.record({ step: fc.constantFrom(...steps), error: text }),
  'step/skipped': fc.record({ step: fc.constantFrom(...steps), reason: text, operator: text }),
  'command/started': some(
    { cmd, step: fc.constantFrom(...steps, ...rollbackSteps), host: text, command: text, level },
    'cmd',
    'step',
    'host',
    'command',
  ),
  'command/output': fc.record({
    cmd,
    host: text,
    stream: fc.constantFrom('stdout' as const, 'stderr' as const),
    text: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.stringMatching(/^[ab\n]{0,12}$/)),
  }),
  'command/exited': some(
    {
      cmd,
      host: text,
      code: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
      signal: fc.constantFrom('SIGTERM', 'SIGKILL'),
      error: text,
      ms: fc.nat(),
    },
    'cmd',
    'host',
    'code',
    'ms',
  ),
  'gate/decided': some(
    {
      phase: fc.constantFrom('pre', 'cutover-50'),
      decision: fc.constantFrom('go' as const, 'no-go' as const),
      operator: text,
      reason: text,
      approvedBy: text,
    },
    'phase',
    'decision',
    'operator',
  ),
  'trigger/pending': fc.record(triggerPayload),
  'trigger/firing': fc.record(triggerPayload),
  'trigger/resolved': fc.record(triggerPayload),
  'trigger/rearmed': fc.record({ trigger, level, after: time }),
  'rollback/recommended': some({ level, trigger, reason: text, countdownUntil: time }, 'level', 'reason'),
  'rollback/confirmed': some(
    { level, operator: text, auto: fc.boolean(), graceMs: fc.nat({ max: 10_000 }), approvedBy: text },
    'level',
    'operator',
  ),
  'rollback/waited': fc.record({ level, ms: fc.nat(), running: fc.array(fc.record({ cmd, host: text }), { maxLength: 2 }) }),
  'rollback/step': some(
    {
      level,
      step: fc.constantFrom(...rollbackSteps),
      status: fc.constantFrom('started' as const, 'passed' as const, 'failed' as const, 'skipped' as const),
      error: text,
    },
    'level',
    'step',
    'status',
  ),
  'rollback/finished': some({ level, ok: fc.boolean(), ms: fc.nat(), aborted: fc.boolean() }, 'level', 'ok', 'ms'),
  'rollback/aborted': some({ level, operator: text, reason: text }, 'level', 'operator'),
  'rollback/dismissed': fc.record({ level, operator: text }),
  'rollback/readiness': fc.record({
    levels: fc.array(
      fc.record({
        level,
        ready: fc.nat({ max: 5 }),
        total: fc.nat({ max: 5 }),
        down: fc.array(fc.record({ host: text, error: text }), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  }),
  'note/added': fc.record({ operator: text, text }),
  'mark/added': fc.record({
    kind: fc.constantFrom('info' as const, 'warning' as const, 'error' as const, 'phase' as const),
    text,
    source: fc.record({ user: text, pid: fc.nat(), command: text }),
  }),
  'approval/requested': some(
    {
      id: fc.constantFrom('a1', 'a2'),
      subject: fc.oneof(
        fc.record({
          kind: fc.constant('gate' as const),
          phase: fc.constantFrom('pre', 'cutover-50'),
          decision: fc.constant('go' as const),
        }),
        fc.record({ kind: fc.constant('rollback' as const), level }),
      ),
      operator: text,
      reason: text,
    },
    'id',
    'subject',
    'operator',
  ),
  'approval/decided': some(
    {
      id: fc.constantFrom('a1', 'a2'),
      decision: fc.constantFrom('approve' as const, 'refuse' as const, 'withdraw' as const),
      by: text,
      reason: text,
      source: fc.record({ user: text, pid: fc.nat(), command: text }),
    },
    'id',
    'decision',
    'by',
  ),
  'notify/delivered': some(
    {
      webhook: fc.constantFrom('ops', 'audit'),
      event: fc.constantFrom('gate/decided', 'session/ended'),
      eventSeq: fc.nat(),
      status: fc.integer({ min: 200, max: 299 }),
      attempts: fc.integer({ min: 1, max: 3 }),
      ms: fc.nat(),
    },
    'webhook',
    'event',
    'status',
    'attempts',
    'ms',
  ),
  'notify/failed': some(
    {
      webhook: fc.constantFrom('ops', 'audit'),
      event: fc.constantFrom('rollback/failed'),
      eventSeq: fc.nat(),
      status: fc.integer({ min: 100, max: 599 }),
      attempts: fc.nat({ max: 3 }),
      ms: fc.nat(),
      error: text,
    },
    'webhook',
    'event',
    'attempts',
    'ms',
    'error',
  ),
  'judge/verdict': some(
    {
      score: fc.double({ min: 0, max: 100, noNaN: true }).filter((v) => !Object.is(v, -0)),
      verdict: fc.constantFrom('pass' as const, 'marginal' as const, 'fail' as const, 'nodata' as const),
      pass: fc.constant(95),
      marginal: fc.constant(75),
      forced: text,
      metrics: fc.array(
        some(
          {
            panel: fc.constantFrom(...panels),
            group: text,
            critical: fc.boolean(),
            mustHaveData: fc.boolean(),
            confidence: fc.constant(0.98),
            window: fc.record({ start: time, end: time, step: fc.nat() }),
            class: fc.constantFrom('High' as const, 'Low' as const, 'Pass' as const, 'NoData' as const),
            canaryCount: fc.nat(),
            baselineCount: fc.nat(),
            canaryMean: fc.option(finite, { nil: null }),
            baselineMean: fc.option(finite, { nil: null }),
            u: finite,
            p: finite,
            estimate: finite,
            lower: finite,
            upper: finite,
            effect: fc.option(finite, { nil: null }),
            why: text,
            error: text,
          },
          'panel',
          'group',
          'critical',
          'mustHaveData',
          'confidence',
          'window',
          'class',
          'canaryCount',
          'baselineCount',
          'canaryMean',
          'baselineMean',
          'effect',
          'why',
        ),
        { maxLength: 2 },
      ),
    },
    'score',
    'verdict',
    'pass',
    'marginal',
    'metrics',
  ),
  'judge/decided': some(
    { decision: fc.constantFrom('go' as const, 'no-go' as const), operator: text, reason: text, score: fc.nat({ max: 100 }) },
    'decision',
    'operator',
    'score',
  ),
};

/** Output, commands and the events around them come more often; an ending (after which nothing is recorded) and a new session rarely. */
const WEIGHT: Partial<Record<EventType, number>> = {
  'command/output': 8,
  'command/started': 3,
  'command/exited': 3,
  'session/ended': 1,
  'session/started': 1,
};
const event = fc.oneof(
  ...EVENT_TYPES.map((type) => ({
    weight: WEIGHT[type] ?? 2,
    arbitrary: (byType[type] as fc.Arbitrary<object>).map((fields) => ({ type, ...fields })),
  })),
) as fc.Arbitrary<Omit<SessionEvent, 't'>>;

/** The output tails a fold of `events` gives. */
function tailsOf(events: readonly SessionEvent[]): OutputTails {
  const t = new OutputTails();
  for (const e of events) t.add(e);
  return t;
}

describe('live session vs its journal', () => {
  it('the live state and output tails equal a fold of the events the journal reads back, for every event type', async () => {
    const seen = new Set<string>();
    let n = 0;
    await fc.assert(
      // structuredClone: fast-check builds null-prototype records; drivers build ordinary objects.
      fc.asyncProperty(fc.array(event, { maxLength: 60 }), async (raw) => {
        const events: SessionEvent[] = [started(), ...raw.map((e, i) => structuredClone({ ...e, t: T0 + (i + 1) * 250 }) as SessionEvent)];
        for (const e of events) assertPlainJson(e);
        const path = join(dir, `j${n++}.jsonl`);
        const journal = await JournalWriter.create<SessionEvent>(path, { assert: assertPlainJson });
        const live = new EventStore(journal, 0);
        // What the session records: everything up to and with session/ended (later ones are refused).
        for (const e of events) void live.emit(e).catch(() => {});
        await live.settled();
        await journal.close();
        const recorded = events.slice(0, events.findIndex((e) => e.type === 'session/ended') + 1 || events.length);
        for (const e of recorded) seen.add(e.type);

        const back = readJournal<SessionEvent>(path);
        expect(back.problems).toEqual([]);
        expect(back.entries.map((x) => x.seq)).toEqual(recorded.map((_, i) => i + 1));
        const replayed = back.entries.map((x) => x.event);
        expect(reduceAll(replayed)).toStrictEqual(live.getState());
        expect(reduceAll(recorded)).toStrictEqual(live.getState());
        expect(tailsOf(replayed).record()).toStrictEqual(live.outputTails().record());
        // Replay's fast fold (and its tails) agrees too.
        const folded = new OutputTails();
        expect(foldAll(replayed, reduceAll([]), folded)).toStrictEqual(live.getState());
        expect(folded.record()).toStrictEqual(live.outputTails().record());
      }),
      { numRuns: 150 },
    );
    // Every event type was recorded (and compared) in some run.
    expect([...seen].sort()).toEqual([...EVENT_TYPES].sort());
  });
});
