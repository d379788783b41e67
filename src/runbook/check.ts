/** Checks as the runbook writes them: `> 0.05`, `<= 99.5`, `ratio > 2`. */

/** A comparison operator of a check. */
export type CheckOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** A parsed check: compare a value (or, with `ratio`, canary/baseline) against a threshold. */
export interface Check {
  /** True when the check applies to canary/baseline rather than to the value. */
  ratio: boolean;
  op: CheckOp;
  value: number;
  /** The check as written, for display. */
  text: string;
}

export const CHECK_PATTERN = '^\\s*(?:ratio\\s+)?(?:>=|<=|==|!=|>|<)\\s*[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?\\s*$';
const CHECK = /^\s*(ratio\s+)?(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** Parses a check, or returns undefined when it is not one. */
export function parseCheck(text: string): Check | undefined {
  const m = CHECK.exec(text);
  if (!m) return undefined;
  const ratio = Boolean(m[1]);
  const op = m[2] as CheckOp;
  const value = Number(m[3]);
  return { ratio, op, value, text: `${ratio ? 'ratio ' : ''}${op} ${m[3]}` };
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

/** A trigger condition: `<panel> [ratio] <op> <number>`. */
export interface Condition {
  panel: string;
  check: Check;
}

/** Parses a trigger's `when`, or returns undefined when it does not have that shape. */
export function parseCondition(text: string): Condition | undefined {
  const m = /^\s*([A-Za-z_][\w-]*)\s+(.*)$/.exec(text);
  if (!m) return undefined;
  const check = parseCheck(m[2]);
  return check ? { panel: m[1], check } : undefined;
}
