// Issue 11 point 5: a trigger evaluates exactly the value, in the unit, that its panel shows. For
// every reference runbook (fixtures/runbooks/*.yaml), each trigger is checked against its panel:
//
// - the panel exists, and a `ratio` check is on a compare panel (the ratio is what it shows);
// - thresholds are in the panel's unit scale, for the trigger, the panel's own warn and crit and
//   every `expect` step on it: `ratio` in [0, 1], `percent` in [0, 100], `seconds` at most 60 (a
//   bigger one is milliseconds written as seconds), `bytes` 0 or at least 1 KiB (a smaller one is
//   MiB or GiB written as bytes); a compare panel's ratio check in (0, 100];
// - agreement with the panel's own status, the rule: the panel never shows OK while the trigger
//   fires. Every value for which the trigger's check holds must also be past the panel's warn or
//   its crit (same kind, ratio or value; same direction; at or beyond it), and a `critical`
//   trigger's values must all be past the panel's crit (the panel shows CRIT when a critical
//   trigger fires). A panel without warn and crit cannot show what its trigger sees, so it fails.
//
// The issue saw `Prometheus RSS 47.7 MiB OK` while `rss-high` fired: a bytes panel whose trigger
// was past no threshold of the panel (or written in MiB against a value in bytes). Both shapes are
// caught here; see the synthetic cases at the end.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbookFile, loadRunbookText, type Check, type Panel, type Runbook } from '../../src/runbook/index.js';

const DIR = 'fixtures/runbooks';
const ENV = { ...process.env, TENANT: 'team-a', PROM_TOKEN: 'test-token' };
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

type Op = Check['op'];
const up = (op: Op) => op === '>' || op === '>=';
const down = (op: Op) => op === '<' || op === '<=';

/** True when every value that satisfies `a` also satisfies `b` (both half-lines). */
function within(a: Pick<Check, 'op' | 'value'>, b: Pick<Check, 'op' | 'value'>): boolean {
  if (up(a.op) && up(b.op)) return a.value > b.value || (a.value === b.value && (b.op === '>=' || a.op === '>'));
  if (down(a.op) && down(b.op)) return a.value < b.value || (a.value === b.value && (b.op === '<=' || a.op === '<'));
  if (a.op === '==')
    return (
      (b.op === '==' && b.value === a.value) ||
      (b.op !== '!=' && b.op !== '==' && within({ op: '>=', value: a.value }, b) && within({ op: '<=', value: a.value }, b))
    );
  return false;
}

/** Why a threshold is not in the panel's unit scale, or undefined when it is. */
function scaleProblem(c: Check, panel: Panel): string | undefined {
  if (c.ratio)
    return c.value > 0 && c.value <= 100 ? undefined : `ratio ${c.value} is not a plausible canary/baseline ratio (0 < r <= 100)`;
  const v = c.value;
  switch (panel.unit) {
    case 'ratio':
      return v >= 0 && v <= 1 ? undefined : `${v} on a ratio panel (0..1; 5% is 0.05)`;
    case 'percent':
      return v >= 0 && v <= 100 ? undefined : `${v} on a percent panel (0..100)`;
    case 'seconds':
      return v >= 0 && v <= 60 ? undefined : `${v} s on a seconds panel: milliseconds written as seconds? (350 ms is 0.35)`;
    case 'bytes':
      return v === 0 || v >= 1024 ? undefined : `${v} B on a bytes panel: MiB or GiB written as bytes? (200 MiB is 209715200)`;
    default:
      return undefined;
  }
}

/** Every disagreement between the triggers of `rb` and their panels, one line each. */
function disagreements(rb: Runbook): string[] {
  const out: string[] = [];
  const panels = new Map((rb.health ?? []).map((p) => [p.id, p]));
  for (const p of panels.values())
    for (const k of ['warn', 'crit'] as const) {
      const c = p[k];
      const why = c && scaleProblem(c, p);
      if (why) out.push(`panel ${p.id} ${k} ${c!.text}: ${why}`);
    }
  for (const st of [...rb.phases.flatMap((ph) => ph.steps), ...(rb.rollback?.levels.flatMap((l) => l.steps) ?? [])]) {
    const p = st.expect && panels.get(st.expect.panel);
    const why = p && scaleProblem(st.expect!.check, p);
    if (why) out.push(`step ${st.id} ${st.expect!.check.text}: ${why}`);
  }
  for (const t of rb.rollback?.triggers ?? []) {
    const c = t.when.check;
    const p = panels.get(t.when.panel);
    if (!p) {
      out.push(`trigger ${t.id}: no panel '${t.when.panel}'`);
      continue;
    }
    if (c.ratio && !p.compare) out.push(`trigger ${t.id}: ratio check on '${p.id}', which is not a compare panel`);
    const why = scaleProblem(c, p);
    if (why) out.push(`trigger ${t.id} ${c.text}: ${why}`);
    const same = (x: Check | undefined) => x !== undefined && x.ratio === c.ratio;
    const marks = [p.warn, p.crit].filter(same) as Check[];
    if (!marks.some((m) => within(c, m)))
      out.push(
        `trigger ${t.id} (${c.text}) can fire while panel ${p.id} shows OK (warn ${p.warn?.text ?? 'none'}, crit ${p.crit?.text ?? 'none'})`,
      );
    else if (t.severity === 'critical' && !(same(p.crit) && within(c, p.crit!)))
      out.push(`critical trigger ${t.id} (${c.text}) can fire while panel ${p.id} is not CRIT (crit ${p.crit?.text ?? 'none'})`);
  }
  return out;
}

describe('every reference runbook: triggers agree with their panels', () => {
  it('finds the reference runbooks', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const f of files) {
    it(f, () => {
      const loaded = loadRunbookFile(join(DIR, f), ENV);
      expect(loaded.problems).toEqual([]);
      expect(disagreements(loaded.runbook!)).toEqual([]);
    });
  }
});

describe('the rule catches what the issue saw', () => {
  const rb = (panel: string, trigger: string) => {
    const text = [
      'name: t',
      'prometheus: { url: "http://127.0.0.1:9090" }',
      `health: [${panel}]`,
      'phases: [{ id: p, title: P, steps: [{ id: s, title: S, manual: true }] }]',
      'rollback:',
      '  levels: [{ id: undo, title: Undo, steps: [{ id: u, title: U, manual: true }] }]',
      `  triggers: [${trigger}]`,
      '',
    ].join('\n');
    const l = loadRunbookText('rb.yaml', text, {});
    expect(l.problems).toEqual([]);
    return disagreements(l.runbook!);
  };
  const rss = (warn: string, crit: string) =>
    `{ id: rss, title: Prometheus RSS, query: "process_resident_memory_bytes", unit: bytes${warn}${crit} }`;

  it('a trigger in MiB on a panel in bytes', () => {
    expect(rb(rss('', ', crit: "> 1073741824"'), '{ id: rss-high, when: "rss > 40", severity: major, recommend: undo }')).toEqual([
      'trigger rss-high > 40: 40 B on a bytes panel: MiB or GiB written as bytes? (200 MiB is 209715200)',
      'trigger rss-high (> 40) can fire while panel rss shows OK (warn none, crit > 1073741824)',
    ]);
  });

  it("a trigger below the panel's thresholds, or on a panel without any, fires while it shows OK", () => {
    expect(
      rb(
        rss(', warn: "> 524288000"', ', crit: "> 1073741824"'),
        '{ id: rss-high, when: "rss > 40000000", severity: major, recommend: undo }',
      ),
    ).toEqual(['trigger rss-high (> 40000000) can fire while panel rss shows OK (warn > 524288000, crit > 1073741824)']);
    expect(rb(rss('', ''), '{ id: rss-high, when: "rss > 40000000", severity: warning }')).toEqual([
      'trigger rss-high (> 40000000) can fire while panel rss shows OK (warn none, crit none)',
    ]);
  });

  it('a critical trigger past the warn but short of the crit; percent written as a ratio; ratio check on a plain panel', () => {
    const errors = '{ id: errors, title: Errors, query: "x", unit: ratio, warn: "> 0.01", crit: "> 0.05" }';
    expect(rb(errors, '{ id: e, when: "errors > 0.02", severity: critical, recommend: undo }')).toEqual([
      'critical trigger e (> 0.02) can fire while panel errors is not CRIT (crit > 0.05)',
    ]);
    expect(rb(errors, '{ id: e, when: "errors > 0.02", severity: major, recommend: undo }')).toEqual([]);
    expect(rb(errors, '{ id: e, when: "errors > 5", severity: critical, recommend: undo }')).toEqual([
      'trigger e > 5: 5 on a ratio panel (0..1; 5% is 0.05)',
    ]);
    const slow = '{ id: p95, title: p95, query: "x", unit: seconds, warn: "> 0.25", crit: "> 0.35" }';
    expect(rb(slow, '{ id: s, when: "p95 > 350", severity: warning }')).toEqual([
      'trigger s > 350: 350 s on a seconds panel: milliseconds written as seconds? (350 ms is 0.35)',
    ]);
    expect(rb(slow, '{ id: s, when: "p95 < 0.35", severity: warning }')).toEqual([
      'trigger s (< 0.35) can fire while panel p95 shows OK (warn > 0.25, crit > 0.35)',
    ]);
  });

  it('half-lines: at or beyond', () => {
    expect(within({ op: '>', value: 0.1 }, { op: '>', value: 0.1 })).toBe(true);
    expect(within({ op: '>=', value: 0.1 }, { op: '>', value: 0.1 })).toBe(false);
    expect(within({ op: '<', value: 8 }, { op: '<', value: 10 })).toBe(true);
    expect(within({ op: '<', value: 8 }, { op: '>', value: 10 })).toBe(false);
  });
});
