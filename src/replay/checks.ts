/**
 * Tiny validators for untrusted journal values. A check returns undefined when the value passes
 * and a message otherwise; passing allocates nothing (a million events are checked on open, and
 * garbage is what makes the heap grow).
 */

/** A check of one value: undefined when it passes, else what is wrong with it. */
export type Check = (v: unknown) => string | undefined;

/** Names that would resolve to Object.prototype members when used as a record key. */
const PROTO_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

function received(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'number' : String(v);
  return typeof v;
}

/** A string. */
export const str: Check = (v) => (typeof v === 'string' ? undefined : `expected string, received ${received(v)}`);
/** A finite number. */
export const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `expected number, received ${received(v)}`);
/** An integer. */
export const int: Check = (v) => num(v) ?? (Number.isInteger(v) ? undefined : 'expected an integer');
/** A boolean. */
export const bool: Check = (v) => (typeof v === 'boolean' ? undefined : `expected boolean, received ${received(v)}`);
/** Epoch ms a Date can hold: a larger `t` would make the timeline's clock throw. */
export const time: Check = (v) => num(v) ?? (Math.abs(v as number) <= 8.64e15 ? undefined : 'is out of the range of dates');
/** An id used as a record key in state: any string except the names of Object.prototype members. */
export const key: Check = (v) => str(v) ?? (PROTO_KEYS.has(v as string) ? 'is a reserved name (an Object.prototype member)' : undefined);

/** Absent, or passing `c`. */
export const opt =
  (c: Check): Check =>
  (v) =>
    v === undefined ? undefined : c(v);
/** Null, or passing `c`. */
export const nullable =
  (c: Check): Check =>
  (v) =>
    v === null ? undefined : c(v);
/** One of the given values. */
export const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v) ? undefined : `expected one of ${values.map((x) => JSON.stringify(x)).join('|')}`;
/** Passing any of the checks (the first one's message otherwise). */
export const either =
  (...checks: Check[]): Check =>
  (v) => {
    let first: string | undefined;
    for (const c of checks) {
      const m = c(v);
      if (m === undefined) return undefined;
      first ??= m;
    }
    return first;
  };

/** An array whose items pass `c`. */
export const arr =
  (c: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return `expected array, received ${received(v)}`;
    for (let i = 0; i < v.length; i++) {
      const m = c(v[i]);
      if (m !== undefined) return at(i, m);
    }
    return undefined;
  };

/** A pair. */
export const pair =
  (a: Check, b: Check): Check =>
  (v) => {
    if (!Array.isArray(v) || v.length !== 2) return `expected a pair, received ${received(v)}`;
    const m = a(v[0]);
    return m !== undefined ? at(0, m) : b(v[1]) !== undefined ? at(1, b(v[1])!) : undefined;
  };

/** A plain object with these fields (others are allowed and ignored). */
export const obj = (shape: Record<string, Check>): Check => {
  const fields = Object.entries(shape);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `expected object, received ${received(v)}`;
    for (const [k, c] of fields) {
      const m = c((v as Record<string, unknown>)[k]);
      if (m !== undefined) return at(k, m);
    }
    return undefined;
  };
};

/** An object whose every value passes `c` (labels). */
export const record =
  (c: Check): Check =>
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `expected object, received ${received(v)}`;
    for (const k in v) {
      const m = c((v as Record<string, unknown>)[k]);
      if (m !== undefined) return at(k, m);
    }
    return undefined;
  };

/** Prefixes a message with the field or index it is about ("series.0.value expected ..."). */
function at(where: string | number, message: string): string {
  return /^[\w-]+(\.[\w-]+)* (expected|is|must)/.test(message) ? `${where}.${message}` : `${where} ${message}`;
}
