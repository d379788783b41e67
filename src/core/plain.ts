/** The development-mode check that every event is plain JSON, so a journal round trip is exact. */

/** True outside production; tests and development builds check every event. */
export const DEV = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NODE_ENV !== 'production';

/** Throws, naming the path, when `v` holds anything JSON would not give back as it is. */
export function assertPlainJson(v: unknown, path = 'event'): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`${path} is ${v}, which JSON cannot hold; use the strings "NaN", "+Inf", "-Inf"`);
    if (Object.is(v, -0)) throw new TypeError(`${path} is -0, which JSON turns into 0`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      assertPlainJson(x, `${path}[${i}]`);
    });
    return;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError(`${path} is a ${proto?.constructor?.name ?? 'class instance'}, not a plain object`);
    for (const [k, x] of Object.entries(v as object)) {
      if (x === undefined) throw new TypeError(`${path}.${k} is undefined; omit the key instead`);
      assertPlainJson(x, `${path}.${k}`);
    }
    return;
  }
  throw new TypeError(`${path} is a ${typeof v}, which JSON cannot hold`);
}
