// Checks written in the panel's unit: `> 5%` on a ratio panel is 0.05, `> 500ms` on a seconds
// panel is 0.5, for panel thresholds, expect steps and trigger conditions alike; a unit that
// does not fit its panel is a validate error on the threshold's own line and column.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { formatProblem, loadRunbookText } from '../../src/runbook/index.js';
import { parseCheck } from '../../src/runbook/check.js';
import { captureIo } from '../support/io.js';

/** A runbook with one panel of `unit` whose crit, expect step and trigger use `check`. */
function runbook(unit: string, check: string, compare = false): string {
  const panel = compare
    ? `  - { id: p, title: P, compare: { canary: up, baseline: up }, unit: ${unit}, crit: "${check}" }`
    : `  - { id: p, title: P, query: up, unit: ${unit}, crit: "${check}" }`;
  return [
    'name: t',
    'prometheus: { url: "http://127.0.0.1:9090" }',
    'health:',
    panel,
    'phases:',
    '  - id: a',
    '    title: A',
    '    steps:',
    `      - { id: s, title: S, expect: { panel: p, check: "${check}" } }`,
    'rollback:',
    '  levels: [{ id: l, title: L, steps: [{ id: m, title: M, manual: true }] }]',
    '  triggers:',
    `    - { id: t1, when: "p ${check}", severity: critical, recommend: l }`,
    '',
  ].join('\n');
}

const load = (text: string) => loadRunbookText('rb.yaml', text, {});

describe('checks in the panel unit', () => {
  it.each<[string, string, number, boolean?]>([
    ['ratio', '> 5%', 0.05],
    ['ratio', '<= 99.95%', 0.9995],
    // Common SLO figures come out as the decimal written, not its binary neighbour (99.9 * 0.01 is 0.9990000000000001).
    ['ratio', '< 99.9%', 0.999],
    ['ratio', '< 99.99%', 0.9999],
    ['ratio', '> 0.1%', 0.001],
    ['ratio', '> 0.3%', 0.003],
    ['seconds', '> 1.1m', 66],
    ['seconds', '> 300ms', 0.3],
    ['seconds', '> 700ms', 0.7],
    ['ratio', '> 0.05', 0.05],
    ['percent', '> 5%', 5],
    ['percent', '<= 99.5', 99.5],
    ['seconds', '> 500ms', 0.5],
    ['seconds', '> 2s', 2],
    ['seconds', '> 1.5m', 90],
    ['seconds', '< 250us', 0.00025],
    ['seconds', '< 250 µs', 0.00025],
    ['bytes', '> 512MiB', 512 * 1024 ** 2],
    ['bytes', '> 2 GB', 2e9],
    ['rps', '< 1/s', 1],
    ['count', '> 100', 100],
    ['seconds', 'ratio > 2x', 2, true],
    ['seconds', 'ratio > 2×', 2, true],
    ['seconds', 'ratio > 2', 2, true],
  ])('%s panel: "%s" is %d everywhere a check is written', (unit, check, value, compare) => {
    const r = load(runbook(unit, check, compare));
    expect(r.problems.map(formatProblem)).toEqual([]);
    const rb = r.runbook!;
    const checks = [rb.health![0].crit!, rb.phases[0].steps[0].expect!.check, rb.rollback!.triggers![0].when.check];
    for (const c of checks) {
      expect(c.value).toBe(value);
      expect(c.unit, 'the unit is applied once, then gone').toBeUndefined();
      expect(c.ratio).toBe(Boolean(compare));
    }
  });

  it.each<[string, string, string, boolean?]>([
    ['seconds', '> 5%', "'5%' does not fit panel 'p' (unit seconds); write it as a duration"],
    ['ratio', '> 500ms', "'500ms' does not fit panel 'p' (unit ratio); write it as a ratio"],
    ['ratio', '> 2MiB', "'2MiB' does not fit panel 'p' (unit ratio)"],
    ['bytes', '> 1/s', "'1/s' does not fit panel 'p' (unit bytes); write it as a size"],
    ['count', '> 5%', "'5%' does not fit panel 'p', which has unit count"],
    ['ratio', '> 2x', "'2x': x is for ratio checks on a compare panel"],
    ['seconds', 'ratio > 200%', "'200%': a ratio check is a plain factor of the baseline", true],
    ['seconds', 'ratio > 2s', "'2s': a ratio check is a plain factor of the baseline", true],
  ])('%s panel: "%s" is rejected at the threshold, in the panel, the expect step and the trigger', (unit, check, message, compare) => {
    const text = runbook(unit, check, compare);
    const problems = load(text).problems;
    expect(problems).toHaveLength(3);
    const lines = text.split('\n');
    // Each problem points at the first character of the threshold (its number) on its own line.
    const number = /[\d.]+\s*\S*"/;
    for (const p of problems) {
      expect(p.message).toContain(message);
      const line = lines[p.line! - 1];
      const col = line.indexOf(check) + check.search(/\d/) + 1;
      expect(line.slice(p.col! - 1)).toMatch(number);
      expect(p.col).toBe(col);
    }
    expect(problems.map((p) => p.line)).toEqual([4, 9, 13]);
  });

  it('a runbook without a unit on its panel takes plain numbers only', () => {
    const text = runbook('ratio', '> 5%').replace(', unit: ratio', '');
    expect(load(text).problems.map((p) => p.message)).toEqual([
      "'5%' does not fit panel 'p', which has no unit; write a plain number, or give the panel the unit the threshold is in",
      "'5%' does not fit panel 'p', which has no unit; write a plain number, or give the panel the unit the threshold is in",
      "'5%' does not fit panel 'p', which has no unit; write a plain number, or give the panel the unit the threshold is in",
    ]);
  });

  it('reports a misfit unit together with the other problems of the file', () => {
    const text = runbook('seconds', '> 5%').replace('title: S,', 'title: S, wait: soon,');
    const messages = load(text).problems.map((p) => p.message);
    expect(messages.some((m) => m.includes("'5%' does not fit"))).toBe(true);
    expect(messages.some((m) => m.includes('wait is not a duration'))).toBe(true);
  });

  it('keeps the check as written for display, normalized', () => {
    expect(parseCheck('>5 %')).toMatchObject({ op: '>', value: 5, unit: '%', text: '> 5%' });
    expect(parseCheck('ratio >=2x')).toMatchObject({ ratio: true, op: '>=', value: 2, unit: 'x', text: 'ratio >= 2x' });
    expect(parseCheck('> 5 parsecs')).toBeUndefined();
  });

  it('cutover validate prints FILE:LINE:COL for a misfit unit and exits 1', async () => {
    const file = 'fixtures/runbooks/broken/unit-not-panel-unit.yaml';
    const io = captureIo();
    expect(await runCli(['validate', file], io)).toBe(1);
    expect(io.stdout()).toMatch(/^fixtures\/runbooks\/broken\/unit-not-panel-unit\.yaml:13:14: '500ms' does not fit panel 'errors'/m);
  });

  it('cutover validate (the built command) accepts every reference runbook', () => {
    const files = readdirSync('fixtures/runbooks')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `fixtures/runbooks/${f}`);
    expect(files.length).toBeGreaterThan(5);
    // What the reference runbooks take from the environment (blue-green's tenant, canary's token).
    const r = spawnSync(process.execPath, ['bin/cutover', 'validate', ...files], {
      env: { ...process.env, TENANT: 'team-a', PROM_TOKEN: 'token' },
      encoding: 'utf8',
    });
    expect(r.stdout.trim().split('\n')).toEqual(files.map((f) => `${f}: ok`));
    expect(r.status).toBe(0);
  });
});
