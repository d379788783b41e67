/**
 * A parser for the part of PromQL the demo's simulated query endpoint answers: selectors with
 * label matchers and ranges, function calls, aggregations with by/without, arithmetic,
 * comparisons and set operators with on/ignoring, numbers and parentheses. Anything else is a
 * QueryError naming what is not supported, which the endpoint answers with HTTP 422.
 */
import { lex, parsePromDuration, QueryError } from './lex.js';

/** A label matcher: `name op "value"`. */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A parsed expression. */
export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'selector'; name?: string; matchers: Matcher[]; range?: number; offset?: number }
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'agg'; op: string; grouping?: { without: boolean; labels: string[] }; param?: Expr; expr: Expr }
  | { kind: 'binary'; op: string; lhs: Expr; rhs: Expr; bool: boolean; matching?: { on: boolean; labels: string[] } }
  | { kind: 'neg'; expr: Expr };

export { QueryError, parsePromDuration } from './lex.js';

/** Aggregation operators of PromQL (the supported ones are decided by the evaluator). */
export const AGGREGATIONS = [
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'limitk',
  'limit_ratio',
];

// Binary operators by precedence, loosest first; `^` is right-associative.
const LEVELS = [['or'], ['and', 'unless'], ['==', '!=', '<=', '<', '>=', '>'], ['+', '-'], ['*', '/', '%', 'atan2'], ['^']];

/** Parses a query into an expression tree; throws QueryError. */
export function parsePromql(query: string): Expr {
  const toks = lex(query);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  const isWord = (v: string) => peek().t === 'id' && peek().v.toLowerCase() === v;
  const expect = (v: string) => {
    if (!isOp(v))
      throw new QueryError(`expected '${v}' at character ${peek().at + 1}${peek().t === 'end' ? ' (the query ends too early)' : ''}`);
    p++;
  };
  const labelList = (): string[] => {
    expect('(');
    const out: string[] = [];
    while (!isOp(')')) {
      if (peek().t !== 'id') throw new QueryError(`expected a label name at character ${peek().at + 1}`);
      out.push(toks[p++].v);
      if (!isOp(')')) expect(',');
    }
    p++;
    return out;
  };
  const binary = (level: number): Expr => {
    if (level === LEVELS.length) return unary();
    let lhs = binary(level + 1);
    for (;;) {
      const tk = peek();
      const op = LEVELS[level].find((o) => (tk.t === 'op' && tk.v === o) || (tk.t === 'id' && tk.v.toLowerCase() === o));
      if (!op) return lhs;
      p++;
      const bool = isWord('bool') ? (p++, true) : false;
      let matching: { on: boolean; labels: string[] } | undefined;
      if (isWord('on') || isWord('ignoring')) {
        const on = toks[p++].v.toLowerCase() === 'on';
        matching = { on, labels: labelList() };
      }
      if (isWord('group_left') || isWord('group_right'))
        throw new QueryError(`${peek().v} (many-to-one matching) is not supported by the demo's simulated endpoint`, true);
      const rhs = op === '^' ? binary(level) : binary(level + 1);
      lhs = { kind: 'binary', op, lhs, rhs, bool, ...(matching ? { matching } : {}) };
      if (op === '^') return lhs;
    }
  };
  const unary = (): Expr => {
    if (isOp('-')) return (p++, { kind: 'neg', expr: unary() });
    if (isOp('+')) return (p++, unary());
    return postfix(primary());
  };
  const postfix = (e: Expr): Expr => {
    if (isOp('[')) {
      p++;
      if (e.kind !== 'selector' || e.range !== undefined)
        throw new QueryError(
          "a range [..] only follows a metric selector here (subqueries are not supported by the demo's simulated endpoint)",
          true,
        );
      const d = peek();
      if (d.t !== 'dur') throw new QueryError(`expected a duration like 5m at character ${d.at + 1}`);
      p++;
      if (isOp(':')) throw new QueryError("subqueries are not supported by the demo's simulated endpoint", true);
      expect(']');
      e = { ...e, range: parsePromDuration(d.v)! };
    }
    if (isWord('offset')) {
      p++;
      const d = peek();
      const ms = d.t === 'dur' ? parsePromDuration(d.v) : undefined;
      if (ms === undefined || e.kind !== 'selector') throw new QueryError(`expected a duration after offset at character ${d.at + 1}`);
      p++;
      e = { ...e, offset: ms };
    }
    if (isOp('@')) throw new QueryError("the @ modifier is not supported by the demo's simulated endpoint", true);
    return e;
  };
  const args = (): Expr[] => {
    expect('(');
    const out: Expr[] = [];
    while (!isOp(')')) {
      out.push(binary(0));
      if (!isOp(')')) expect(',');
    }
    p++;
    return out;
  };
  const primary = (): Expr => {
    const tk = peek();
    if (tk.t === 'num')
      return (p++, { kind: 'number', value: Number(/^(inf|nan)$/i.test(tk.v) ? (tk.v.toLowerCase() === 'inf' ? Infinity : NaN) : tk.v) });
    if (tk.t === 'str') return (p++, { kind: 'string', value: tk.v });
    if (isOp('(')) {
      p++;
      const e = binary(0);
      expect(')');
      return e;
    }
    if (isOp('{')) return { kind: 'selector', matchers: matchers() };
    if (tk.t !== 'id') throw new QueryError(tk.t === 'end' ? 'the query ends too early' : `unexpected '${tk.v}' at character ${tk.at + 1}`);
    p++;
    const name = tk.v;
    if (AGGREGATIONS.includes(name.toLowerCase())) {
      let grouping: { without: boolean; labels: string[] } | undefined;
      const group = () => {
        if (isWord('by') || isWord('without')) grouping = { without: toks[p++].v.toLowerCase() === 'without', labels: labelList() };
      };
      group();
      const a = args();
      group();
      if (a.length === 0 || a.length > 2) throw new QueryError(`${name}() takes one expression${a.length > 2 ? '' : ' (got none)'}`);
      return {
        kind: 'agg',
        op: name.toLowerCase(),
        ...(grouping ? { grouping } : {}),
        expr: a[a.length - 1],
        ...(a.length === 2 ? { param: a[0] } : {}),
      };
    }
    if (isOp('(')) return { kind: 'call', fn: name, args: args() };
    return { kind: 'selector', name, matchers: isOp('{') ? matchers() : [] };
  };
  const matchers = (): Matcher[] => {
    expect('{');
    const out: Matcher[] = [];
    while (!isOp('}')) {
      const n = peek();
      if (n.t !== 'id') throw new QueryError(`expected a label name at character ${n.at + 1}`);
      p++;
      const op = peek();
      if (op.t !== 'op' || !['=', '!=', '=~', '!~'].includes(op.v))
        throw new QueryError(`expected =, !=, =~ or !~ after ${n.v} at character ${op.at + 1}`);
      p++;
      const v = peek();
      if (v.t !== 'str') throw new QueryError(`expected a quoted value for ${n.v} at character ${v.at + 1}`);
      p++;
      out.push({ name: n.v, op: op.v as Matcher['op'], value: v.v });
      if (!isOp('}')) expect(',');
    }
    p++;
    return out;
  };
  const e = binary(0);
  if (peek().t !== 'end') throw new QueryError(`unexpected '${peek().v}' at character ${peek().at + 1}`);
  return e;
}
