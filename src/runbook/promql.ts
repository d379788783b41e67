/** PromQL syntax check at load time, with @prometheus-io/lezer-promql (which never throws). */
import { parser } from '@prometheus-io/lezer-promql';

/** A syntax error inside a query: offset into the query text, and a short message. */
export interface PromqlError {
  offset: number;
  message: string;
}

/** Returns the first syntax error of a query, or undefined when it parses. */
export function checkPromql(query: string): PromqlError | undefined {
  if (query.trim() === '') return { offset: 0, message: 'empty PromQL query' };
  const tree = parser.parse(query);
  let found: PromqlError | undefined;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (!node.type.isError) return undefined;
      found = { offset: node.from, message: describe(query, node.from, node.to) };
      return false;
    },
  });
  return found;
}

function describe(query: string, from: number, to: number): string {
  const open = count(query, '(') - count(query, ')');
  const hint = open > 0 ? '; a "(" is not closed' : open < 0 ? '; a ")" has no "("' : '';
  if (from >= query.trimEnd().length) return `PromQL syntax error: the query ends too early${hint || ' (missing operand or bracket?)'}`;
  const near = query.slice(from, Math.max(to, from + 1)).slice(0, 24);
  return `PromQL syntax error at "${near.trim() || near}"${hint}`;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/**
 * Maps an offset inside a scalar's value to an offset in the YAML source, by walking the
 * source alongside the value (quotes, indentation and folded line breaks only appear in one).
 */
export function valueOffsetToSource(source: string, start: number, end: number, value: string, offset: number): number {
  let j = start;
  if (source[j] === '"' || source[j] === "'") j++;
  else if (source[j] === '|' || source[j] === '>') {
    const nl = source.indexOf('\n', j);
    j = nl < 0 ? end : nl + 1;
  }
  for (let i = 0; i < offset && i < value.length; i++) {
    const ch = value[i];
    const ws = /\s/.test(ch);
    let k = j;
    while (k < end && !(source[k] === ch || (ws && /\s/.test(source[k])))) k++;
    if (k >= end) break;
    j = k + 1;
    // Skip source whitespace that folded into this one character.
    if (ws) while (j < end && /\s/.test(source[j]) && !/\s/.test(value[i + 1] ?? 'x')) j++;
  }
  while (j < end && /[ \t]/.test(source[j]) && !/\s/.test(value[offset] ?? 'x')) j++;
  return Math.min(j, Math.max(start, end - 1));
}
