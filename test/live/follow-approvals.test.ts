// Given approval events as the console journals them, the follower knows which requests are
// pending, oldest first, and shows their journal texts only sanitized and bounded.
import { describe, expect, it } from 'vitest';
import { PendingApprovals } from '../../src/live/follow-approvals.js';

const req = (id: string, subject: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'approval/requested',
  t: 1,
  id,
  subject,
  operator: 'alice',
  ...extra,
});

describe('PendingApprovals', () => {
  it('opens on approval/requested, closes on approval/decided and at session end', () => {
    const p = new PendingApprovals();
    expect(p.add(req('a1', 'gate cutover-50'))).toBe(true);
    expect(p.add(req('a2', { kind: 'rollback', level: 'traffic' }, { reason: 'two people' }))).toBe(true);
    expect(p.first()).toMatchObject({ id: 'a1', subject: 'gate cutover-50', rollback: false, operator: 'alice' });
    expect(p.list()[1]).toMatchObject({ id: 'a2', subject: 'rollback traffic', rollback: true, reason: 'two people' });
    expect(p.add({ type: 'approval/decided', t: 2, id: 'a1', decision: 'approve', by: 'bob' })).toBe(true);
    expect(p.first()?.id).toBe('a2');
    expect(p.add({ type: 'note/added', t: 3 })).toBe(false);
    expect(p.add({ type: 'session/ended', t: 4 })).toBe(true);
    expect(p.list()).toEqual([]);
  });

  it('a rollback subject as a string needs the capital-Y confirmation too', () => {
    const p = new PendingApprovals();
    p.add(req('r', 'rollback code'));
    expect(p.first()?.rollback).toBe(true);
  });

  it("strips the journal's control sequences and bounds its texts", () => {
    const p = new PendingApprovals();
    p.add(req('x', `gate \x1b]52;c;aGk=\x07pre\x1b[2J`, { operator: `mallory\x1b[31m`, reason: 'y'.repeat(5000) }));
    const a = p.first()!;
    expect(a.subject).not.toMatch(/\x1b|\x07/);
    expect(a.operator).not.toMatch(/\x1b/);
    expect([...(a.reason ?? '')].length).toBeLessThanOrEqual(200);
  });
});
