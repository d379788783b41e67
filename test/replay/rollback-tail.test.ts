// readRollbackTail: the latest rollback's events, found from the end of the file, never fooled
// by a `"type":"rollback/confirmed"` inside an event's data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRollbackTail } from '../../src/replay/rollback-tail.js';
import { chain } from '../support/rollback-journals.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = 1_795_298_400_000;
const decoy = (t: number) => ({
  type: 'metric/sampled',
  t,
  panel: 'error_rate',
  at: t,
  series: [{ labels: { type: 'rollback/confirmed' }, value: 1 }],
});
const note = (t: number) => ({ type: 'note/added', t, operator: 'alice', text: '{"seq":9,"type":"rollback/confirmed"}' });
const started = {
  type: 'session/started',
  t: T,
  sessionId: 's',
  runbookPath: 'x.yaml',
  runbookSha256: '',
  operator: 'alice',
  mode: 'live',
  version: 't',
  runbook: {
    name: 'x',
    phases: [{ id: 'p', title: 'p', steps: [{ id: 's', title: 's', manual: true }] }],
    rollback: {
      levels: [
        { id: 'traffic', title: 't', steps: [{ id: 'x', title: 'x', manual: true }] },
        { id: 'code', title: 'c', steps: [{ id: 'y', title: 'y', manual: true }] },
      ],
    },
  },
};

function tail(events: Record<string, unknown>[]): string[] {
  const path = join(dir, 'j.jsonl');
  writeFileSync(path, chain(events as { type: string; t: number }[]));
  return readRollbackTail(path).map((e) => `${e.type}${'level' in e ? ` ${e.level}` : ''}`);
}

describe('readRollbackTail', () => {
  it('returns the rollback and session events from the latest confirmation on', () => {
    expect(
      tail([
        started,
        { type: 'rollback/confirmed', t: T + 1, level: 'code', operator: 'alice' },
        { type: 'rollback/finished', t: T + 2, level: 'code', ok: false, ms: 1 },
        { type: 'rollback/confirmed', t: T + 3, level: 'traffic', operator: 'alice' },
        decoy(T + 4),
        note(T + 4),
        { type: 'rollback/aborted', t: T + 5, level: 'traffic', operator: 'alice' },
        { type: 'session/ended', t: T + 6, outcome: 'rolled-back' },
      ]),
    ).toEqual(['rollback/confirmed traffic', 'rollback/aborted traffic', 'session/ended']);
  });

  it('is empty without a rollback, whatever the data says', () => {
    expect(tail([started, decoy(T + 1), note(T + 2), { type: 'session/ended', t: T + 3, outcome: 'quit' }])).toEqual([]);
  });
});
