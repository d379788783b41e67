/**
 * The tokens of a PromQL query: numbers, identifiers, strings, durations and operators, with the
 * character each starts at (for messages). Also the error every part of the subset throws.
 */

/** A query the endpoint cannot answer: bad syntax, or PromQL beyond the demo's subset. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Parses a PromQL duration (`5m`, `1h30m`, `250ms`) into ms. */
export function parsePromDuration(text: string): number | undefined {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

/** A token and where it starts. */
export type Tok = { t: 'num' | 'id' | 'str' | 'dur' | 'op' | 'end'; v: string; at: number };

const OPS = ['==', '!=', '=~', '!~', '>=', '<=', '(', ')', '{', '}', '[', ']', ',', '=', '+', '-', '*', '/', '%', '^', '>', '<', ':', '@'];

/** Splits a query into tokens; throws QueryError on a character PromQL has no use for. */
export function lex(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < q.length && q[i] !== '\n') i++;
      continue;
    }
    const at = i;
    const prev = out[out.length - 1];
    if (prev?.t === 'op' && prev.v === '[' && /\d/.test(c)) {
      const m = /^(\d+(?:ms|s|m|h|d|w|y))+/.exec(q.slice(i));
      if (!m) throw new QueryError(`bad duration at character ${i + 1}`);
      out.push({ t: 'dur', v: m[0], at });
      i += m[0].length;
      continue;
    }
    const num = /^(?:0x[0-9a-f]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf|nan)(?![\w:])/i.exec(q.slice(i));
    if (num && !(prev?.t === 'id' && /^(offset)$/i.test(prev.v))) {
      out.push({ t: 'num', v: num[0], at });
      i += num[0].length;
      continue;
    }
    const id = /^(?:[A-Za-z_]|:[A-Za-z_])[\w:]*/.exec(q.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0], at });
      i += id[0].length;
      continue;
    }
    const dur = /^(\d+(?:ms|s|m|h|d|w|y))+/.exec(q.slice(i));
    if (dur) {
      out.push({ t: 'dur', v: dur[0], at });
      i += dur[0].length;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let s = '';
      while (j < q.length && q[j] !== c) {
        if (q[j] === '\\' && c !== '`') {
          const n = q[++j];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        } else s += q[j];
        j++;
      }
      if (j >= q.length) throw new QueryError(`unterminated string at character ${i + 1}`);
      out.push({ t: 'str', v: s, at });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => q.startsWith(o, i));
    if (!op) throw new QueryError(`unexpected character '${c}' at character ${i + 1}`);
    out.push({ t: 'op', v: op, at });
    i += op.length;
  }
  out.push({ t: 'end', v: '', at: q.length });
  return out;
}
