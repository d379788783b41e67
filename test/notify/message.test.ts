// What a notification says: given a session on the notify test runbook and what happened before,
// when an event is told with a template, then each {{field}} is the event's value (empty where it
// does not apply), values are escaped for Slack but the template's own markup is not, and nothing
// in a template runs; without a template the message is the timeline's line.
import { describe, expect, it } from 'vitest';
import { reduceAll, type SessionEvent, type Unstamped } from '../../src/core/index.js';
import { bodyOf } from '../../src/notify/body.js';
import { noticeOf } from '../../src/notify/message.js';
import { at, started } from '../core/fixtures.js';
import { notifyRunbook } from './session.js';

const rb = notifyRunbook('  - { id: hook, url: "https://hooks.example.com/x", format: slack }', {});

/** The text a slack (or json) webhook gets for `e`, told at T0 + 75 s, with `template`. */
function told(e: Unstamped, template?: string, format: 'slack' | 'json' = 'slack'): string {
  const event = at(75, e) as SessionEvent;
  const state = reduceAll([started(rb), event]);
  const notice = noticeOf(event);
  if (!notice) throw new Error(`${e.type} is not told`);
  const body = JSON.parse(bodyOf({ format, ...(template !== undefined ? { template } : {}) }, event, 7, notice, state)) as { text: string };
  return body.text;
}

const gate: Unstamped = { type: 'gate/decided', phase: 'pre', decision: 'no-go', operator: 'bob', reason: 'p95 <2× & rising>' };
const firing: Unstamped = { type: 'trigger/firing', trigger: 'errors-high', value: 0.08, check: '> 0.05', since: 0 };

describe('templates', () => {
  it('each field of a gate decision, Slack-escaped in the values only', () => {
    expect(
      told(
        gate,
        '<!here> {{runbook}}: {{event}} {{phase}} {{decision}} by {{operator}} ({{reason}}) at {{elapsed}}, {{t}}; [{{level}}{{trigger}}]',
      ),
    ).toBe('<!here> checkout notify: gate/decided pre no-go by bob (p95 &lt;2× &amp; rising&gt;) at T+01:15, 2026-11-21T22:01:15.000Z; []');
  });

  it('json keeps the values as they are', () => {
    expect(told(gate, '{{reason}}', 'json')).toBe('p95 <2× & rising>');
  });

  it("a trigger's value and check in its panel's unit", () => {
    expect(told(firing, '{{trigger}}: {{value}} {{check}}', 'json')).toBe('errors-high: 8% > 5%');
    expect(told({ ...firing, value: null }, '{{value}}', 'json')).toBe('no data');
  });

  it('rollbacks and the end: level, outcome, reason, who', () => {
    const t = '{{level}} {{outcome}} {{operator}} {{reason}}';
    expect(told({ type: 'rollback/confirmed', level: 'traffic', operator: 'carol' }, t)).toBe('traffic  carol ');
    expect(told({ type: 'rollback/finished', level: 'traffic', ok: false, ms: 4000 }, t)).toBe('traffic failed alice ');
    expect(told({ type: 'rollback/finished', level: 'traffic', ok: true, ms: 4000 }, t)).toBe('traffic finished alice ');
    expect(told({ type: 'rollback/aborted', level: 'traffic', operator: 'dan', reason: 'wrong' }, t)).toBe('traffic aborted dan wrong');
    expect(told({ type: 'session/ended', outcome: 'rolled-back', reason: 'p95' }, t)).toBe(' rolled-back alice p95');
  });

  it('spaces inside the braces are allowed; nothing in a template is evaluated', () => {
    expect(told(gate, '{{ phase }} {{constructor}}{{__proto__}} ${process.pid} {{ 1+1 }}', 'json')).toBe('pre  ${process.pid} ');
  });
});

describe('the default message is the timeline line, with the runbook and T+', () => {
  it.each<[string, Unstamped, string]>([
    ['a trigger firing, in its panel unit', firing, 'trigger errors-high FIRING: Error rate 8% > 5% for 30s (critical)'],
    ['a gate', gate, 'gate pre: NO-GO by bob: p95 <2× & rising>'],
    ['a failed rollback', { type: 'rollback/finished', level: 'traffic', ok: false, ms: 4000 }, 'rollback traffic FAILED in 4s'],
    ['the end', { type: 'session/ended', outcome: 'completed' }, 'session ended: completed'],
  ])('%s', (_, e, line) => {
    expect(told(e, undefined, 'json')).toBe(`[checkout notify] T+01:15 ${line}`);
  });

  it('an aborted run is told by its rollback/aborted, not again by its rollback/finished; other events are not told', () => {
    expect(
      noticeOf(at(1, { type: 'rollback/finished', level: 'traffic', ok: false, ms: 1, aborted: true }) as SessionEvent),
    ).toBeUndefined();
    expect(noticeOf(at(1, { type: 'note/added', operator: 'a', text: 'x' }) as SessionEvent)).toBeUndefined();
    expect(
      noticeOf(at(1, { type: 'trigger/pending', trigger: 'errors-high', value: 1, check: '', since: 0 }) as SessionEvent),
    ).toBeUndefined();
  });
});
