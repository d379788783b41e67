// The shortest durations a runbook may write: each field at its minimum validates, and just
// under it gets one `FILE:LINE:COL` line on the value, naming the field and the minimum.
import { describe, expect, it } from 'vitest';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';

/** A runbook with `@` where the duration under test goes. */
const runbook = (o: { prometheus?: string; ssh?: string; panel?: string; step?: string; level?: string; trigger?: string }) =>
  [
    'name: limits',
    'prometheus:',
    '  url: http://127.0.0.1:9090',
    ...(o.prometheus ? [`  ${o.prometheus}`] : []),
    ...(o.ssh ? ['ssh:', `  ${o.ssh}`] : []),
    'hosts: { web: [web1.internal] }',
    'health:',
    '  - id: errors',
    '    title: Errors',
    '    query: up',
    ...(o.panel ? [`    ${o.panel}`] : []),
    'phases:',
    '  - id: pre',
    '    title: Pre',
    '    steps:',
    '      - id: s',
    '        title: S',
    `        ${o.step ?? 'manual: true'}`,
    'rollback:',
    '  levels:',
    '    - id: undo',
    '      title: Undo',
    ...(o.level ? [`      ${o.level}`] : []),
    '      steps: [{ id: u, title: U, manual: true }]',
    '  triggers:',
    '    - id: errs',
    '      when: "errors > 0.5"',
    '      severity: critical',
    '      recommend: undo',
    `      ${o.trigger ?? 'for: 20s'}`,
    '',
  ].join('\n');

/** Where `value` (the one under test) stands in `text`, as `LINE:COL`. */
function at(text: string, value: string): string {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(`: ${value}`) ? [`${i + 1}:${l.indexOf(`: ${value}`) + 3}`] : []));
  expect(hits, `'${value}' must appear once`).toHaveLength(1);
  return hits[0];
}

type Part = Parameters<typeof runbook>[0];
const TABLE: [field: string, part: (v: string) => Part, min: string, below: string, message: string][] = [
  [
    'prometheus.interval',
    (v) => ({ prometheus: `interval: ${v}` }),
    '1s',
    '0s',
    'prometheus.interval is 0s; the shortest poll interval is 1s',
  ],
  [
    'prometheus.interval',
    (v) => ({ prometheus: `interval: ${v}` }),
    '1s',
    '999ms',
    'prometheus.interval is 999ms; the shortest poll interval is 1s',
  ],
  [
    'prometheus.timeout',
    (v) => ({ prometheus: `timeout: ${v}` }),
    '100ms',
    '99ms',
    'prometheus.timeout is 99ms; the shortest timeout is 100ms',
  ],
  ['panel interval', (v) => ({ panel: `interval: ${v}` }), '1s', '500ms', 'interval is 500ms; the shortest poll interval is 1s'],
  ['panel range', (v) => ({ panel: `range: ${v}` }), '1m', '30s', 'range is 30s; the shortest sparkline window is 1m'],
  [
    'ssh.connectTimeout',
    (v) => ({ ssh: `connectTimeout: ${v}` }),
    '1s',
    '500ms',
    'ssh.connectTimeout is 500ms; the shortest connect timeout is 1s (an SSH handshake takes several round trips)',
  ],
  ['ssh.keepalive', (v) => ({ ssh: `keepalive: ${v}` }), '1s', '0s', 'ssh.keepalive is 0s; the shortest keepalive interval is 1s'],
  [
    'run timeout',
    (v) => ({ step: `run: { on: web, command: "true", timeout: ${v} }` }),
    '100ms',
    '50ms',
    'timeout is 50ms; the shortest timeout is 100ms',
  ],
  [
    'local timeout',
    (v) => ({ step: `local: { command: ["true"], timeout: ${v} }` }),
    '100ms',
    '0s',
    'timeout is 0s; the shortest timeout is 100ms',
  ],
  [
    'http timeout',
    (v) => ({ step: `http: { url: "http://127.0.0.1/", timeout: ${v} }` }),
    '100ms',
    '10ms',
    'timeout is 10ms; the shortest timeout is 100ms',
  ],
  ['wait', (v) => ({ step: `wait: ${v}` }), '1ms', '0s', 'wait is 0s; it must be longer than 0'],
  ['phase planned', (v) => ({ step: `wait: 1m\n    planned: ${v}` }), '1ms', '0m', 'planned is 0m; it must be longer than 0'],
  ['level expected', (v) => ({ level: `expected: ${v}` }), '1ms', '0s', 'expected is 0s; it must be longer than 0'],
  [
    'auto countdown',
    (v) => ({ trigger: `auto: true\n      countdown: ${v}` }),
    '5s',
    '4s',
    'countdown is 4s; the shortest countdown is 5s (time to read it and cancel the rollback)',
  ],
];

const CASES = TABLE.map(([field, part, min, below, message]) => ({ field, part, min, below, message }));

describe('duration minimums', () => {
  it.each(CASES)('$field: $min is the shortest', ({ part, min }) => {
    const r = loadRunbookText('rb.yaml', runbook(part(min)), {});
    expect(r.problems).toEqual([]);
  });

  it.each(CASES)('$field: $below is one line on the value', ({ part, below, message }) => {
    const text = runbook(part(below));
    const r = loadRunbookText('rb.yaml', text, {});
    expect(r.runbook).toBeUndefined();
    expect(r.problems.map(formatProblem)).toEqual([`rb.yaml:${at(text, below)}: ${message}`]);
  });

  it.each([
    ['for: 0s', { trigger: 'for: 0s' }],
    ['expect within: 0s', { step: 'expect: { panel: errors, check: "< 1", within: 0s }' }],
  ])('%s is allowed', (_name, part) => {
    expect(loadRunbookText('rb.yaml', runbook(part), {}).problems).toEqual([]);
  });

  it("a sparkline window may not be shorter than its panel's poll interval", () => {
    expect(loadRunbookText('rb.yaml', runbook({ panel: 'interval: 2m\n    range: 2m' }), {}).problems).toEqual([]);
    const text = runbook({ panel: 'interval: 2m\n    range: 90s' });
    expect(loadRunbookText('rb.yaml', text, {}).problems.map(formatProblem)).toEqual([
      `rb.yaml:${at(text, '90s')}: range 90s is shorter than the panel's poll interval; make it at least the interval`,
    ]);
  });

  it('a range is also checked against prometheus.interval when the panel has none', () => {
    const text = runbook({ prometheus: 'interval: 5m', panel: 'range: 2m' });
    expect(loadRunbookText('rb.yaml', text, {}).problems.map(formatProblem)).toEqual([
      `rb.yaml:${at(text, '2m')}: range 2m is shorter than the panel's poll interval; make it at least the interval`,
    ]);
  });
});
