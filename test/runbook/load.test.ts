// One run of validate reports every problem of a file: schema errors, PromQL syntax and
// references together, sorted by line. References are checked on the parts that parsed even
// when other parts of the file did not.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';
import { captureIo } from '../support/io.js';

const lines = (text: string) => loadRunbookText('rb.yaml', text, {}).problems.map(formatProblem);

describe('every problem in one run', () => {
  it('a schema error, a PromQL syntax error, an unknown panel and an unknown level all come out at once', async () => {
    const file = 'fixtures/runbooks/broken/four-problems-one-run.yaml';
    const io = captureIo();
    expect(await runCli(['validate', file], io)).toBe(1);
    expect(io.stdout().split('\n').filter(Boolean)).toEqual([
      `${file}:14:57: PromQL syntax error: the query ends too early; a "(" is not closed`,
      `${file}:26:26: unknown panel 'error_rate' (known: errors)`,
      `${file}:38:12: for 30 has no unit; write it with one, like 30s or 30ms`,
      `${file}:40:18: unknown rollback level 'code' (known: traffic)`,
    ]);
  });

  it('checks the references of a step whose own fields fail the schema', () => {
    expect(
      lines(
        [
          'name: t',
          'hosts: { web: [web1] }',
          'phases:',
          '  - id: p',
          '    title: P',
          '    steps:',
          '      - id: s',
          '        run: { on: wbe, command: "true", timeout: soon }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      "rb.yaml:7:9: missing field 'title' (a string)",
      "rb.yaml:8:20: unknown host group 'wbe'; did you mean 'web'?",
      'rb.yaml:8:51: timeout is not a duration; write a number and a unit, like 500ms, 30s, 2m or 1h30m',
    ]);
  });

  it('a panel that fails the schema still counts as defined, and its query is still checked', () => {
    expect(
      lines(
        [
          'name: t',
          'prometheus: { url: "http://127.0.0.1:9090" }',
          'health:',
          '  - { id: errors, title: Errors, query: "rate(x[1m]", unit: msec }',
          '  - { id: errors, title: Again, query: up }',
          'phases:',
          '  - id: p',
          '    title: P',
          '    steps: [{ id: e, title: E, expect: { panel: errors, check: "< 1" } }]',
          'rollback:',
          '  levels: [{ id: undo, title: Undo, steps: [{ id: u, title: U, manual: true }] }]',
          '  triggers: [{ id: t, when: "errors > 1", severity: high, recommend: undo }]',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'rb.yaml:4:52: PromQL syntax error: the query ends too early; a "(" is not closed',
      'rb.yaml:4:61: unit must be one of ratio, percent, seconds, bytes, rps, count, not the string "msec"',
      "rb.yaml:5:11: duplicate panel id 'errors'; ids must be unique",
      'rb.yaml:12:53: severity must be one of critical, major, minor, warning, not the string "high"',
    ]);
  });

  it('a missing choice field names itself and its choices, not "undefined"', () => {
    expect(
      lines(
        [
          'name: t',
          'phases: [{ id: p, title: P, steps: [{ id: s, title: S, manual: true }] }]',
          'rollback:',
          '  levels: [{ id: undo, title: Undo, steps: [{ id: u, title: U, manual: true }] }]',
          '  triggers: [{ id: t, when: "p > 1", recommend: undo }]',
          '',
        ].join('\n'),
      )[0],
    ).toBe("rb.yaml:5:14: missing field 'severity': one of critical, major, minor, warning");
  });

  it('a file whose structure is wrong everywhere still gets its reference problems, and never throws', () => {
    const text = [
      'name: t',
      'hosts: [web1]',
      'phases:',
      '  - id: p',
      '    steps:',
      '      - { id: s, title: S, run: { on: web, command: x } }',
      '      - 42',
      '',
    ].join('\n');
    expect(lines(text)).toEqual([
      'rb.yaml:2:8: hosts must be a mapping, not a list',
      "rb.yaml:4:5: missing field 'title' (a string)",
      "rb.yaml:6:39: unknown host group 'web' (the runbook defines none)",
      'rb.yaml:7:9: steps must be a mapping, not number 42',
    ]);
  });
});
