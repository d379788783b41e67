/**
 * PromQL's binary operators for the subset: arithmetic and comparisons between numbers and
 * vectors (vector to vector matched one-to-one on labels, or on `on(...)` / all but
 * `ignoring(...)`), comparisons filtering unless `bool` is given, and `and`, `or`, `unless`.
 */
import type { Expr } from './parse.js';
import { QueryError } from './lex.js';
import { dropName, labelKey, unsupported, vector, type Labels, type Sample, type Value } from './eval.js';

const ARITH: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '>': (a, b) => Number(a > b),
  '<': (a, b) => Number(a < b),
  '>=': (a, b) => Number(a >= b),
  '<=': (a, b) => Number(a <= b),
};
const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** Applies `e`'s operator to its evaluated sides. */
export function binaryOp(e: Extract<Expr, { kind: 'binary' }>, l: Value, r: Value): Value {
  if (e.op === 'or' || e.op === 'and' || e.op === 'unless') return setOp(e, vector(l, e.op), vector(r, e.op));
  const f = ARITH[e.op];
  if (!f) throw unsupported(`the operator ${e.op}`);
  const cmp = COMPARISON.has(e.op);
  if (l.type === 'scalar' && r.type === 'scalar') {
    if (cmp && !e.bool) throw new QueryError('comparisons between two numbers need the bool modifier');
    return { type: 'scalar', value: f(l.value, r.value) };
  }
  // A comparison without bool keeps the vector side's sample (and its name) where it holds.
  const one = (s: Sample, v: number): Sample | undefined =>
    cmp && !e.bool ? (v ? s : undefined) : { labels: dropName(s.labels), value: v };
  if (l.type === 'scalar') return { type: 'vector', samples: vector(r, e.op).flatMap((s) => one(s, f(l.value, s.value)) ?? []) };
  if (r.type === 'scalar') return { type: 'vector', samples: vector(l, e.op).flatMap((s) => one(s, f(s.value, r.value)) ?? []) };
  const right = new Map<string, Sample>();
  for (const s of vector(r, e.op)) {
    const k = matchKey(e, s.labels);
    if (right.has(k)) throw unsupported('many-to-one matching (several right-hand series share their labels)');
    right.set(k, s);
  }
  const out: Sample[] = [];
  const matched = new Set<string>();
  for (const s of vector(l, e.op)) {
    const k = matchKey(e, s.labels);
    const o = right.get(k);
    if (!o) continue;
    const v = f(s.value, o.value);
    if (cmp && !e.bool && !v) continue;
    // Two left-hand series for one right-hand one: Prometheus refuses rather than answer twice.
    if (matched.has(k))
      throw new QueryError(
        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right), which the demo's simulated endpoint does not support",
        true,
      );
    matched.add(k);
    out.push({ labels: resultLabels(e, cmp && !e.bool ? s.labels : dropName(s.labels)), value: cmp && !e.bool ? s.value : v });
  }
  return { type: 'vector', samples: out };
}

/** The labels of a one-to-one result: only the on(...) labels, or all but the ignoring(...) ones. */
function resultLabels(e: Extract<Expr, { kind: 'binary' }>, l: Labels): Labels {
  const m = e.matching;
  if (!m) return l;
  return m.on ? pick(l, m.labels) : Object.fromEntries(Object.entries(l).filter(([k]) => !m.labels.includes(k)));
}

function setOp(e: Extract<Expr, { kind: 'binary' }>, l: Sample[], r: Sample[]): Value {
  const keys = new Set(r.map((s) => matchKey(e, s.labels)));
  if (e.op === 'and') return { type: 'vector', samples: l.filter((s) => keys.has(matchKey(e, s.labels))) };
  if (e.op === 'unless') return { type: 'vector', samples: l.filter((s) => !keys.has(matchKey(e, s.labels))) };
  const left = new Set(l.map((s) => matchKey(e, s.labels)));
  return { type: 'vector', samples: [...l, ...r.filter((s) => !left.has(matchKey(e, s.labels)))] };
}

function matchKey(e: Extract<Expr, { kind: 'binary' }>, labels: Labels): string {
  const m = e.matching;
  const base = dropName(labels);
  if (!m) return labelKey(base);
  return labelKey(m.on ? pick(base, m.labels) : Object.fromEntries(Object.entries(base).filter(([k]) => !m.labels.includes(k))));
}

function pick(l: Labels, names: string[]): Labels {
  return Object.fromEntries(names.filter((n) => l[n] !== undefined).map((n) => [n, l[n]]));
}
