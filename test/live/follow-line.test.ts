// The follower's line under the status bar, from what it knows: who operates, how far behind it
// is, a pending request (its keys only with --approve), the console's last answer.
import { describe, expect, it } from 'vitest';
import { followLine, type FollowView } from '../../src/live/follow-line.js';

const base: FollowView = { operator: 'alice', caughtUp: true, unread: 0, lastEvent: 10_000, now: 12_300, count: 1234, approving: false };
const text = (v: Partial<FollowView>, width = 200) =>
  followLine({ ...base, ...v }, width, false)
    .map((s) => s.text)
    .join('');

describe('followLine', () => {
  it.each<[string, Partial<FollowView>, RegExp]>([
    ['up to date', {}, /^ operator alice {2}up to date · last event 2\.3s ago {2}1,234 events $/],
    ['catching up', { caughtUp: false, unread: 12.5 * 2 ** 20, now: 250_000 }, /catching up: 12\.5 MB to read, 4m behind/],
    ['ended', { ended: 'completed' }, /session ended 2\.3s ago; q quits/],
    ['halted', { halted: 'x: cut' }, /✗ STOPPED FOLLOWING/],
    [
      'a request, no keys',
      { pending: { id: '1', subject: 'gate two', rollback: false, operator: 'bob', t: 0 } },
      /⚑ bob asks approval: gate two {2}1,234/,
    ],
    [
      'a request, with --approve',
      { approving: true, pending: { id: '1', subject: 'gate two', rollback: false, operator: 'bob', t: 0 } },
      /⚑ bob asks approval: gate two {2}a approve · r refuse/,
    ],
    ['an answer', { message: { ok: false, text: 'no' } }, /ago {2}✗ no {2}1,234/],
  ])('%s', (_, v, re) => {
    expect(text(v)).toMatch(re);
  });

  it('fits the width', () => {
    expect(text({ message: { ok: true, text: 'x'.repeat(500) } }, 80).length).toBeLessThanOrEqual(80);
  });
});
