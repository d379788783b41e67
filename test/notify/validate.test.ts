// `cutover validate` on a runbook's notify section: given a webhook with one mistake, when the
// runbook is loaded, then exactly one problem is reported, on the line and column of the mistake,
// saying what to write instead; a valid section loads, with its defaults left to the notifier.
import { describe, expect, it } from 'vitest';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';
import { notifyYaml } from './session.js';

/** The problems of the test runbook with this notify section, as `validate` prints them. */
function problems(notify: string, env: NodeJS.ProcessEnv = {}): string[] {
  return loadRunbookText('rb.yaml', notifyYaml(notify), env).problems.map(formatProblem);
}

/** `LINE:COL` of `s` in the test runbook with this notify section (its only occurrence on its line). */
function at(notify: string, s: string): string {
  const lines = notifyYaml(notify).split('\n');
  const i = lines.findIndex((l) => l.includes(s));
  return `${i + 1}:${lines[i].indexOf(s) + 1}`;
}

describe('notify: validation', () => {
  it('a valid section loads', () => {
    const notify = [
      '  - { id: ops, url: "https://hooks.slack.com/services/${CUTOVER_T_PATH}", format: slack, on: [trigger/firing, rollback/failed] }',
      '  - { id: local, url: "http://127.0.0.1:8080/hook", format: json, template: "{{ runbook }} {{event}}", timeout: 2s }',
      '  - { id: v6, url: "http://[::1]:8080/", format: json, headers: { X-Key: "${CUTOVER_T_KEY}" } }',
    ].join('\n');
    const r = loadRunbookText('rb.yaml', notifyYaml(notify), { CUTOVER_T_PATH: 'T0/B0/x', CUTOVER_T_KEY: 'k' });
    expect(r.problems).toEqual([]);
    expect(r.runbook?.notify?.map((w) => [w.id, w.on, w.timeout])).toEqual([
      ['ops', ['trigger/firing', 'rollback/failed'], undefined],
      ['local', undefined, 2000],
      ['v6', undefined, undefined],
    ]);
  });

  it('plain http to another host: refused, saying https or loopback', () => {
    const notify = '  - { id: ops, url: "http://hooks.example.com/x", format: slack }';
    expect(problems(notify)).toEqual([
      `rb.yaml:${at(notify, '"http://hooks')}: the webhook url is plain http to hooks.example.com; a webhook is https, or http only to this machine (127.0.0.1, ::1, localhost)`,
    ]);
  });

  it('an http URL from ${VAR}: checked once expanded, the value never printed', () => {
    const notify = '  - { id: ops, url: "${CUTOVER_T_HOOK}", format: slack }';
    const out = problems(notify, { CUTOVER_T_HOOK: 'http://hooks.example.com/services/T0SECRET' });
    expect(out).toEqual([
      `rb.yaml:${at(notify, '"${')}: the webhook url is plain http to hooks.example.com; a webhook is https, or http only to this machine (127.0.0.1, ::1, localhost) (once its \${VAR} are expanded)`,
    ]);
    expect(out.join('\n')).not.toContain('T0SECRET');
  });

  it('an unset ${VAR} in the url names the variable and the webhook', () => {
    const notify = '  - { id: ops, url: "${CUTOVER_T_UNSET}", format: slack }';
    expect(problems(notify)).toEqual([
      `rb.yaml:${at(notify, '${CUTOVER_T_UNSET}')}: the url of webhook 1 in notify uses \${CUTOVER_T_UNSET}, which is not set in the environment; export CUTOVER_T_UNSET before running cutover`,
    ]);
  });

  it('an unknown event name lists the known ones', () => {
    const notify = '  - { id: ops, url: "https://h.example/x", format: slack, on: [gate/decided, trigger/fired] }';
    expect(problems(notify)).toEqual([
      `rb.yaml:${at(notify, 'trigger/fired')}: on must be one of trigger/firing, trigger/resolved, gate/decided, rollback/confirmed, rollback/finished, rollback/failed, rollback/aborted, session/ended, not the string "trigger/fired"`,
    ]);
  });

  it('an unknown template field: on the field, with the closest one', () => {
    const notify = '  - { id: ops, url: "https://h.example/x", format: slack, template: "gate {{phse}}: {{decision}}" }';
    expect(problems(notify)).toEqual([
      `rb.yaml:${at(notify, '{{phse')}: unknown template field 'phse'; did you mean 'phase'? (fields: event, text, runbook, operator, level, phase, decision, trigger, value, check, outcome, reason, t, elapsed)`,
    ]);
  });

  it('an unclosed {{ is reported rather than sent as written', () => {
    const notify = '  - { id: ops, url: "https://h.example/x", format: slack, template: "gate {{phase}} {{decision" }';
    expect(problems(notify)).toEqual([`rb.yaml:${at(notify, '{{decision')}: '{{' without its '}}'; a field is written {{field}}`]);
  });

  it('a misspelled field, a missing format, a duplicate id', () => {
    expect(problems('  - { id: ops, url: "https://h.example/x", formt: slack }')).toEqual([
      `rb.yaml:${at('  - { id: ops, url: "https://h.example/x", formt: slack }', 'formt')}: unknown field 'formt' in a webhook; did you mean 'format'?`,
    ]);
    expect(problems('  - { id: ops, url: "https://h.example/x" }')).toEqual([
      `rb.yaml:${at('  - { id: ops, url: "https://h.example/x" }', '{ id: ops')}: missing field 'format': one of slack, json`,
    ]);
    const dup = '  - { id: ops, url: "https://h.example/x", format: slack }\n  - { id: ops, url: "https://h.example/y", format: json }';
    expect(problems(dup)).toEqual([
      `rb.yaml:${at(dup, 'ops, url: "https://h.example/y"')}: duplicate webhook id 'ops'; ids must be unique`,
    ]);
  });
});
