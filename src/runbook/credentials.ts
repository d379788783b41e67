/**
 * One credential source per request: a Prometheus or Alertmanager section that gives two
 * (bearerToken, basicAuth, an `Authorization` header, credentials in the URL) would send two
 * Authorization values (`Bearer X, Bearer X`) or drop one silently. Either way the runbook does
 * not say what it means, so validate refuses it.
 */
import type { Finding } from './refs.js';
import type { Path } from './yaml-source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const USERINFO = /^[a-z][\w+.-]*:\/\/[^/?#]*@/i;

/** A problem for every section that sets more than one credential source. */
export function checkCredentials(data: unknown): Finding[] {
  if (!isObj(data)) return [];
  return ['prometheus', 'alertmanager'].flatMap((section) => conflicts(section, data[section]));
}

function conflicts(section: string, s: unknown): Finding[] {
  if (!isObj(s)) return [];
  const sources: { name: string; path: Path }[] = [];
  if (typeof s.url === 'string' && USERINFO.test(s.url)) sources.push({ name: 'credentials in url', path: [section, 'url'] });
  if (s.bearerToken !== undefined) sources.push({ name: 'bearerToken', path: [section, 'bearerToken'] });
  if (s.basicAuth !== undefined) sources.push({ name: 'basicAuth', path: [section, 'basicAuth'] });
  if (isObj(s.headers))
    for (const k of Object.keys(s.headers))
      if (k.toLowerCase() === 'authorization') sources.push({ name: `headers.${k}`, path: [section, 'headers', k] });
  if (sources.length < 2) return [];
  const [first, ...rest] = sources;
  // Reported where the second source is written: the first one is usually the one meant.
  return rest.map((x) => ({
    path: x.path,
    key: true,
    message: `${section} sets both ${first.name} and ${x.name}; a request carries one Authorization header, so keep only one of them`,
  }));
}
