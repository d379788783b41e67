// reduce over random event sequences equals reduce over what the journal reads back: the
// guarantee that makes replay exact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPlainJson, reduceAll, type SessionEvent } from '../../src/core/index.js';
import { JournalWriter, readJournal } from '../../src/journal/index.js';
import { T0, started } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const steps = ['backup', 'green-health', 'err-low', 'lb-up', 'shift', 'soak'];
const panels = ['error_rate', 'p95_canary'];
const text = fc.string({ unit: 'binary', maxLength: 40 });
const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)), fc.constantFrom('NaN' as const, '+Inf' as const, '-Inf' as const));
const series = fc.array(fc.record({ labels: fc.dictionary(fc.constantFrom('instance', 'job', 'code'), text, { maxKeys: 2, noNullPrototype: true }), value }), { maxLength: 4 });
const cmd = fc.constantFrom('c1', 'c2', 'c3');

/** One random event of any kind (time is stamped afterwards, in order). */
const event: fc.Arbitrary<Omit<SessionEvent, 't'>> = fc.oneof(
  fc.record({ type: fc.constant('metric/sampled' as const), panel: fc.constantFrom(...panels), at: fc.integer({ min: T0, max: T0 + 1e6 }), series, baseline: series }),
  fc.record({ type: fc.constant('metric/failed' as const), panel: fc.constantFrom(...panels), kind: fc.constantFrom('refused' as const, 'timeout' as const, 'query' as const), message: text }),
  fc.record({ type: fc.constant('step/started' as const), phase: fc.constantFrom('pre', 'cutover-50'), step: fc.constantFrom(...steps) }),
  fc.record({ type: fc.constant('step/passed' as const), step: fc.constantFrom(...steps) }),
  fc.record({ type: fc.constant('step/failed' as const), step: fc.constantFrom(...steps), error: text }),
  fc.record({ type: fc.constant('step/skipped' as const), step: fc.constantFrom(...steps), reason: text, operator: text }),
  fc.record({ type: fc.constant('command/started' as const), cmd, step: fc.constantFrom(...steps), host: text, command: text }),
  fc.record({ type: fc.constant('command/output' as const), cmd, host: text, stream: fc.constantFrom('stdout' as const, 'stderr' as const), text: fc.string({ unit: 'grapheme', maxLength: 80 }) }),
  fc.record({ type: fc.constant('command/exited' as const), cmd, host: text, code: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }), ms: fc.nat() }),
  fc.record({ type: fc.constant('gate/decided' as const), phase: fc.constantFrom('pre', 'cutover-50'), decision: fc.constantFrom('go' as const, 'no-go' as const), operator: text, reason: text }),
  fc.record({ type: fc.constantFrom('trigger/pending' as const, 'trigger/firing' as const, 'trigger/resolved' as const), trigger: fc.constantFrom('errors-high', 'p95-slow'), value: fc.option(value, { nil: null }), check: text, since: fc.nat() }),
  fc.record({ type: fc.constant('rollback/recommended' as const), level: fc.constantFrom('traffic', 'code'), reason: text }),
  fc.record({ type: fc.constant('rollback/confirmed' as const), level: fc.constantFrom('traffic', 'code'), operator: text }),
  fc.record({ type: fc.constant('rollback/step' as const), level: fc.constantFrom('traffic', 'code'), step: fc.constantFrom('shift-back', 'activate', 'undo'), status: fc.constantFrom('started' as const, 'passed' as const, 'failed' as const) }),
  fc.record({ type: fc.constant('rollback/finished' as const), level: fc.constantFrom('traffic', 'code'), ok: fc.boolean(), ms: fc.nat() }),
  fc.record({ type: fc.constant('rollback/aborted' as const), level: fc.constantFrom('traffic', 'code'), operator: text }),
  fc.record({ type: fc.constant('note/added' as const), operator: text, text }),
  fc.record({ type: fc.constant('session/resumed' as const), operator: text, afterSeq: fc.nat() }),
  fc.record({ type: fc.constant('session/ended' as const), outcome: fc.constantFrom('completed' as const, 'rolled-back' as const, 'quit' as const) }),
) as fc.Arbitrary<Omit<SessionEvent, 't'>>;

describe('journal round trip', () => {
  it('reduce(events) deep-equals reduce(events read back from the journal)', async () => {
    let n = 0;
    await fc.assert(
      // structuredClone: fast-check builds null-prototype records; drivers build ordinary objects.
      fc.asyncProperty(fc.array(event, { maxLength: 60 }), async (raw) => {
        const events: SessionEvent[] = [started(), ...raw.map((e, i) => structuredClone({ ...e, t: T0 + (i + 1) * 250 }) as SessionEvent)];
        for (const e of events) assertPlainJson(e);
        const path = join(dir, `j${n++}.jsonl`);
        const w = await JournalWriter.create<SessionEvent>(path, { assert: assertPlainJson });
        await Promise.all(events.map((e) => w.append(e)));
        await w.close();
        const back = readJournal<SessionEvent>(path);
        expect(back.problems).toEqual([]);
        expect(back.entries.map((x) => x.seq)).toEqual(events.map((_, i) => i + 1));
        expect(reduceAll(back.entries.map((x) => x.event))).toStrictEqual(reduceAll(events));
      }),
      { numRuns: 150 },
    );
  });
});
