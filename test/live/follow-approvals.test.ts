// Given approval events folded by the reducer, the follower lists the pending requests oldest
// first, in words, with their journal texts sanitized and bounded, and none once the session ended.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { reduceAll } from '../../src/core/reduce.js';
import { pendingApprovals } from '../../src/live/follow-approvals.js';
import { at, started } from '../core/fixtures.js';

const asked = (s: number, id: string, subject: object, extra: object = {}) =>
  at(s, { type: 'approval/requested', id, subject, operator: 'alice', ...extra }) as unknown as SessionEvent;

describe('pendingApprovals', () => {
  it('oldest first, in words; a decided one goes, and all go when the session ends', () => {
    const events = [
      started(),
      asked(1, 'a1', { kind: 'gate', phase: 'pre', decision: 'go' }),
      asked(2, 'a2', { kind: 'rollback', level: 'traffic' }, { reason: 'two people' }),
    ];
    expect(pendingApprovals(reduceAll(events))).toMatchObject([
      { id: 'a1', subject: 'gate pre GO', rollback: false, operator: 'alice' },
      { id: 'a2', subject: 'rollback traffic', rollback: true, reason: 'two people' },
    ]);
    const decided = [...events, at(3, { type: 'approval/decided', id: 'a1', decision: 'approve', by: 'bob' }) as unknown as SessionEvent];
    expect(pendingApprovals(reduceAll(decided)).map((p) => p.id)).toEqual(['a2']);
    expect(pendingApprovals(reduceAll([...decided, at(4, { type: 'session/ended', outcome: 'quit' }) as SessionEvent]))).toEqual([]);
  });

  it("strips the journal's control sequences and bounds its texts", () => {
    const s = reduceAll([
      started(),
      asked(1, 'x', { kind: 'rollback', level: 'traffic' }, { operator: 'mallory\x1b[31m\x1b]52;c;aGk=\x07', reason: 'y'.repeat(5000) }),
    ]);
    const [p] = pendingApprovals(s);
    expect(p.operator).not.toMatch(/\x1b|\x07/);
    expect([...(p.reason ?? '')].length).toBeLessThanOrEqual(200);
  });
});
