import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatElapsed,
  holds,
  loadRunbookText,
  parseAmount,
  parseCheck,
  parseCondition,
  parseDuration,
  resolveBatch,
  resolveMaxFail,
} from '../../src/runbook/index.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['1d', 86_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '5', '5 minutes', 'm5', '-1s', '1x'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
  it('formats for people', () => {
    expect(formatDuration(450)).toBe('450ms');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatElapsed(65_000)).toBe('T+01:05');
    expect(formatElapsed(3_725_000)).toBe('T+1:02:05');
  });
});

describe('checks', () => {
  it('parses operators, numbers and ratio', () => {
    expect(parseCheck('> 0.05')).toEqual({ ratio: false, op: '>', value: 0.05, text: '> 0.05' });
    expect(parseCheck('<=99.5')).toMatchObject({ op: '<=', value: 99.5 });
    expect(parseCheck('ratio > 2')).toMatchObject({ ratio: true, op: '>', value: 2 });
    expect(parseCheck('> 1e-3')).toMatchObject({ value: 0.001 });
    expect(parseCheck('over 5')).toBeUndefined();
    expect(parseCheck('> five')).toBeUndefined();
  });
  it('NaN never satisfies a check', () => {
    expect(holds({ op: '>', value: 1 }, NaN)).toBe(false);
    expect(holds({ op: '!=', value: 1 }, NaN)).toBe(false);
    expect(holds({ op: '>', value: 1 }, Infinity)).toBe(true);
  });
  it('parses trigger conditions', () => {
    expect(parseCondition('p95_canary ratio > 2')).toMatchObject({ panel: 'p95_canary', check: { ratio: true, value: 2 } });
    expect(parseCondition('error_rate > 0.05')).toMatchObject({ panel: 'error_rate', check: { ratio: false } });
    expect(parseCondition('> 0.05')).toBeUndefined();
  });
});

describe('amounts', () => {
  it('takes counts and percentages', () => {
    expect(parseAmount(2)).toEqual({ count: 2 });
    expect(parseAmount('25%')).toEqual({ percent: 25 });
    expect(parseAmount('x')).toBeUndefined();
    // Resolved as the fan-out does: a percentage of the group rounded down (batch at least 1 host).
    expect(resolveBatch({ percent: 25 }, 10)).toBe(2);
    expect(resolveMaxFail({ percent: 25 }, 10)).toBe(2);
    expect(resolveBatch({ count: 4 }, 10)).toBe(4);
    expect(resolveMaxFail({ count: 4 }, 10)).toBe(4);
  });
});

const minimal = (extra: string) =>
  `name: t\nprometheus: { url: "http://127.0.0.1:9090" }\n${extra}\nphases:\n  - { id: p, title: P, steps: [] }\n`;

describe('PromQL positions', () => {
  it('maps an error inside a block scalar to its line in the file', () => {
    const text = minimal('health:\n  - id: a\n    title: A\n    query: |\n      sum(\n        rate(x[1m])\n      ) by (job\n');
    const r = loadRunbookText('f.yaml', text);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 9 });
    expect(r.problems[0].message).toMatch(/PromQL syntax error/);
  });
  it('maps an error inside a quoted query to its column', () => {
    const text = minimal('health:\n  - { id: a, title: A, query: "rate(x[1m]) + + on" }');
    const r = loadRunbookText('f.yaml', text);
    expect(r.problems).toHaveLength(1);
    const line = text.split('\n')[r.problems[0].line! - 1];
    expect(line.slice(r.problems[0].col! - 1)).toMatch(/^(\+|on)/);
  });
});

describe('hosts', () => {
  it('normalizes name, name:port, [v6]:port and objects', () => {
    const r = loadRunbookText(
      'f.yaml',
      'name: t\nhosts:\n  g: [a.internal, "b.internal:2222", "[::1]:2200", { host: c, port: 22, user: ops }]\nphases:\n  - { id: p, title: P, steps: [] }\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.runbook?.hosts?.g).toEqual([
      { host: 'a.internal' },
      { host: 'b.internal', port: 2222 },
      { host: '::1', port: 2200 },
      { host: 'c', port: 22, user: 'ops' },
    ]);
  });
});

describe('parsed runbook', () => {
  it('is plain JSON with durations in ms and checks parsed', async () => {
    const { loadRunbookFile } = await import('../../src/runbook/index.js');
    const rb = loadRunbookFile('fixtures/runbooks/blue-green.yaml', { TENANT: 'team-a' }).runbook!;
    expect(JSON.parse(JSON.stringify(rb))).toEqual(rb);
    expect(rb.prometheus?.interval).toBe(5000);
    expect(rb.rollback?.triggers?.[1]).toMatchObject({
      when: { panel: 'p95_canary', check: { ratio: true, op: '>', value: 2 } },
      countdown: 20_000,
      auto: true,
    });
    expect(rb.phases[0].steps[1].run).toMatchObject({ on: 'green', timeout: 10_000 });
    expect(rb.prometheus?.headers).toEqual({ 'X-Scope-OrgID': '${TENANT}' });
  });
});

describe('parallel steps', () => {
  const steps = (extra: string) =>
    `name: t\nphases:\n  - id: p\n    title: P\n    steps:\n      - { id: a, title: A, manual: true }\n      - { id: b, title: B, manual: true${extra} }\n`;
  it('parallel: true is kept on the step; without it the field is absent', () => {
    const r = loadRunbookText('f.yaml', steps(', parallel: true'), {});
    expect(r.problems).toEqual([]);
    expect(r.runbook!.phases[0].steps.map((s) => s.parallel)).toEqual([undefined, true]);
  });
  it('parallel must be a boolean', () => {
    expect(loadRunbookText('f.yaml', steps(', parallel: "yes"'), {}).problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      '7:52: parallel must be a boolean, not the string "yes"',
    ]);
  });
  it('`cutover schema` describes it', async () => {
    const { runbookJsonSchema } = await import('../../src/cli/schema.js');
    const path = ['properties', 'phases', 'items', 'properties', 'steps', 'items', 'properties', 'parallel'];
    const parallel = path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], runbookJsonSchema());
    expect(parallel).toEqual({
      type: 'boolean',
      description: expect.stringMatching(/^May start before the steps above it have passed or been skipped/),
    });
  });
});
