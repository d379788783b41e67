/**
 * Checks as the runbook writes them: `> 0.05`, `<= 99.5`, `ratio > 2`, or in the panel's unit:
 * `> 5%` on a ratio panel (0.05), `> 500ms` on a seconds panel (0.5), `ratio > 2×`. A check is
 * parsed alone (parseCheck), then put in its panel's unit (inPanelUnit) once the panel is known.
 */

/** A comparison operator of a check. */
export type CheckOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** A parsed check: compare a value (or, with `ratio`, canary/baseline) against a threshold. */
export interface Check {
  /** True when the check applies to canary/baseline rather than to the value. */
  ratio: boolean;
  op: CheckOp;
  /** The threshold in the panel's base unit (0.05 for `> 5%` on a ratio panel) once resolved. */
  value: number;
  /** The check as written, for display. */
  text: string;
  /** The unit the threshold was written in (`%`, `ms`, `×`), until inPanelUnit has applied it. */
  unit?: string;
}

/** Units a threshold may be written in, and what each is worth in its panel units' base. */
const TIME: Record<string, number> = { µs: 1e-6, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const BYTES: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};
const UNIT = '%|µs|us|ms|s|m|h|B|KiB|MiB|GiB|TiB|kB|KB|MB|GB|TB|/s|x|×';
const NUMBER = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?';

export const CHECK_PATTERN = `^\\s*(?:ratio\\s+)?(?:>=|<=|==|!=|>|<)\\s*${NUMBER}\\s*(?:${UNIT})?\\s*$`;
const CHECK = new RegExp(`^\\s*(ratio\\s+)?(>=|<=|==|!=|>|<)\\s*(${NUMBER})\\s*(${UNIT})?\\s*$`, 'd');

/** Parses a check, or returns undefined when it is not one. The unit, if any, is kept as written. */
export function parseCheck(text: string): Check | undefined {
  const m = CHECK.exec(text);
  if (!m) return undefined;
  const ratio = Boolean(m[1]);
  const op = m[2] as CheckOp;
  const value = Number(m[3]);
  const unit = m[4];
  return { ratio, op, value, text: `${ratio ? 'ratio ' : ''}${op} ${m[3]}${unit ?? ''}`, ...(unit ? { unit } : {}) };
}

/** Where the threshold of a check with a unit starts (`2%` in `> 2%`), for a located error; undefined without a unit. */
export function unitOffset(text: string): number | undefined {
  const m = CHECK.exec(text);
  return m?.[4] ? m.indices?.[3]?.[0] : undefined;
}

/** The panel a check is read against: its unit and whether it compares canary with baseline. */
export interface PanelUnit {
  id: string;
  unit?: string;
  compare: boolean;
}

/**
 * Puts a check's threshold in its panel's base unit: `5%` is 0.05 on a ratio panel and 5 on a
 * percent panel, `500ms` is 0.5 on a seconds panel. Returns the check without `unit`, or why the
 * written unit does not fit the panel.
 */
export function inPanelUnit(check: Check, panel: PanelUnit): { check: Check } | { error: string } {
  const { unit, ...rest } = check;
  if (unit === undefined) return { check };
  const factor = unitFactor(unit, check.ratio, panel.unit);
  // 15 significant digits: 99.9 * 0.01 is 0.9990000000000001 in binary, and a ratio of exactly 0.999 would hold `< 99.9%`.
  if (factor !== undefined) return { check: { ...rest, value: Number((check.value * factor).toPrecision(15)) } };
  return { error: unitError(check, unit, panel) };
}

function unitFactor(unit: string, ratio: boolean, panelUnit?: string): number | undefined {
  if (ratio) return unit === 'x' || unit === '×' ? 1 : undefined;
  if (unit === '%') return panelUnit === 'ratio' ? 0.01 : panelUnit === 'percent' ? 1 : undefined;
  if (unit in TIME) return panelUnit === 'seconds' ? TIME[unit] : undefined;
  if (unit in BYTES) return panelUnit === 'bytes' ? BYTES[unit] : undefined;
  if (unit === '/s') return panelUnit === 'rps' ? 1 : undefined;
  return undefined;
}

const EXAMPLE: Record<string, string> = {
  ratio: '"> 5%" or "> 0.05"',
  percent: '"> 5%" or "> 5"',
  seconds: '"> 500ms", "> 2s" or "> 0.5"',
  bytes: '"> 512MiB" or "> 536870912"',
  rps: '"> 100/s" or "> 100"',
  count: '"> 100"',
};

const NOUN: Record<string, string> = { ratio: 'a ratio', percent: 'a percentage', seconds: 'a duration', bytes: 'a size', rps: 'a rate' };

function unitError(check: Check, unit: string, panel: PanelUnit): string {
  const written = `'${check.value}${unit}'`;
  if (check.ratio) return `${written}: a ratio check is a plain factor of the baseline, like "ratio > 2" or "ratio > 2x"`;
  if (unit === 'x' || unit === '×')
    return `${written}: x is for ratio checks on a compare panel ("ratio > 2x"); write the threshold in the panel's unit`;
  if (!panel.unit || panel.unit === 'count')
    return `${written} does not fit panel '${panel.id}', which has ${panel.unit ? 'unit count' : 'no unit'}; write a plain number, or give the panel the unit the threshold is in`;
  return `${written} does not fit panel '${panel.id}' (unit ${panel.unit}); write it as ${NOUN[panel.unit] ?? 'a plain number'}, like ${EXAMPLE[panel.unit] ?? '"> 100"'}`;
}

/** Applies a check to a number. NaN never satisfies a check. */
export function holds(check: Pick<Check, 'op' | 'value'>, v: number): boolean {
  if (Number.isNaN(v)) return false;
  switch (check.op) {
    case '>':
      return v > check.value;
    case '>=':
      return v >= check.value;
    case '<':
      return v < check.value;
    case '<=':
      return v <= check.value;
    case '==':
      return v === check.value;
    case '!=':
      return v !== check.value;
  }
}

/** A trigger condition: `<panel> [ratio] <op> <number>[unit]`, or `judge < marginal|pass|<score>`. */
export interface Condition {
  /** The panel, or `judge` (JUDGE_PANEL) for the canary score. */
  panel: string;
  check: Check;
  /** Set for the canary score: the threshold it names (its value is put in `check` when the runbook is read), or `score` for a number. */
  judge?: 'marginal' | 'pass' | 'score';
}

/** The `panel` of a condition on the canary score. */
export const JUDGE_PANEL = 'judge';
/** Default score thresholds a judge condition may name. */
export const JUDGE_THRESHOLDS = { pass: 95, marginal: 75 } as const;
const JUDGE_CONDITION = /^\s*judge\s*(<=|<|>=|>)\s*(marginal|pass|\d+(?:\.\d+)?)\s*$/;

/** Parses a trigger's `when`, or returns undefined when it does not have that shape. */
export function parseCondition(text: string): Condition | undefined {
  const j = JUDGE_CONDITION.exec(text);
  if (j) {
    const op = j[1] as CheckOp;
    const named = j[2] === 'marginal' || j[2] === 'pass' ? j[2] : undefined;
    const value = named ? JUDGE_THRESHOLDS[named] : Number(j[2]);
    return { panel: JUDGE_PANEL, check: { ratio: false, op, value, text: `${op} ${j[2]}` }, judge: named ?? 'score' };
  }
  const m = /^\s*([A-Za-z_][\w-]*)\s+(.*)$/.exec(text);
  if (!m) return undefined;
  const check = parseCheck(m[2]);
  return check ? { panel: m[1], check } : undefined;
}

/** Where the unit starts in a written condition, or undefined without one. */
export function conditionUnitOffset(text: string): number | undefined {
  const m = /^(\s*[A-Za-z_][\w-]*\s+)(.*)$/.exec(text);
  const at = m ? unitOffset(m[2]) : undefined;
  return at === undefined ? undefined : m![1].length + at;
}
