/**
 * Every way a Prometheus or Alertmanager request can fail, as one typed error whose message a
 * person on call can act on. Messages are one line, name the URL (without credentials) and the
 * query, and never hold a header, token or password.
 */
import { stripControls } from '../../core/controls.js';
import type { MetricErrorKind } from '../../core/events.js';
import { formatDuration } from '../../runbook/duration.js';

/** A failed request, classified: `kind` drives the panel status, `message` is shown as is. */
export class MetricError extends Error {
  constructor(
    readonly kind: MetricErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'MetricError';
  }
}

/** What was being asked of whom, for the messages. */
export interface RequestSite {
  /** `Prometheus` or `Alertmanager`. */
  service: string;
  /** The base URL as the runbook writes it, credentials removed. */
  url: string;
  /** The PromQL query, when there is one. */
  query?: string;
  /** Hostname the request went to (for DNS failures). */
  host?: string;
}

/** Longest query and error text quoted in a message; the rest is elided. */
const MAX_QUOTE = 160;

/** Server text is untrusted: no terminal control sequence survives (tabs and newlines stay). */
export function plainText(text: string): string {
  return stripControls(text, true);
}

/** A query or server text squeezed onto one line, without control sequences, cut to a readable length. */
export function oneLine(text: string, max = MAX_QUOTE): string {
  const s = plainText(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A base URL fit to print: credentials (up to the authority's last `@`: a password may hold one) and query string removed. */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/)[^/]*@/i, '$1').replace(/[?#].*$/, '');
}

/** Replaces every secret (an expanded `${VAR}`, a token, a password) in a text, e.g. a server echoing a header. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let m = text;
  for (const s of secrets) if (s.length >= 3 && m.includes(s)) m = m.split(s).join('***');
  return m;
}

/** The error, its message scrubbed of secrets. */
export function scrubSecrets(e: MetricError, secrets: readonly string[]): MetricError {
  const m = scrubText(e.message, secrets);
  return m === e.message ? e : new MetricError(e.kind, m);
}

function about(site: RequestSite): string {
  return site.query !== undefined ? ` (query '${oneLine(site.query)}')` : '';
}

/** Thrown when the request was given up after `ms`. */
export function timeoutError(site: RequestSite, ms: number): MetricError {
  const hint =
    site.service === 'Prometheus' ? 'it may be overloaded; raise prometheus.timeout if this query is slow' : 'check that it is healthy';
  return new MetricError('timeout', `${site.service} at ${site.url} did not answer within ${formatDuration(ms)}${about(site)}; ${hint}`);
}

/**
 * A redirect cutover will not follow: to another origin (the request's headers hold credentials
 * meant for the configured one), too many hops, or to no URL at all. `where` says which.
 */
export function redirectError(site: RequestSite, status: number, where: string): MetricError {
  const cfg = site.service === 'Prometheus' ? 'prometheus.url' : 'alertmanager.url';
  return new MetricError(
    'config',
    `${site.service} at ${site.url} redirected (HTTP ${status})${about(site)} ${where}; cutover sends credentials only to the configured origin and did not follow: point ${cfg} at the final address`,
  );
}

/** Classifies what `fetch` threw (connection refused, DNS, reset, ...). */
export function networkError(e: unknown, site: RequestSite): MetricError {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (e as { code?: string }).code;
  const cfg = site.service === 'Prometheus' ? 'prometheus.url' : 'alertmanager.url';
  if (code === 'ECONNREFUSED')
    return new MetricError(
      'refused',
      `${site.service} at ${site.url} refused the connection${about(site)}; is it running, and is ${cfg} right?`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL')
    return new MetricError(
      'dns',
      `cannot resolve '${site.host ?? site.url}' for ${site.service}${about(site)}: DNS lookup failed (${code}); check ${cfg} and DNS`,
    );
  let what = oneLine(cause?.message ?? (e as Error).message ?? String(e));
  // fetch refuses some ports outright (1, 25, 6000, ...); say so instead of the bare "bad port".
  if (what === 'bad port') what = `fetch refuses to connect to this port (a blocked port); serve ${site.service} on another one`;
  return new MetricError('network', `connection to ${site.service} at ${site.url} failed: ${what}${about(site)}`);
}

/** The `error` text of a Prometheus/Alertmanager JSON error body, if the body has one. */
export function serverErrorText(body: string): string | undefined {
  try {
    const j = JSON.parse(body) as unknown;
    if (typeof j === 'string') return j;
    if (j && typeof j === 'object') {
      const o = j as { error?: unknown; message?: unknown };
      if (typeof o.error === 'string') return o.error;
      if (typeof o.message === 'string') return o.message;
    }
  } catch {
    /* not JSON: no server text */
  }
  return undefined;
}

/** Classifies a non-2xx answer. 400/422 with Prometheus's own error text means the query is wrong. */
export function httpError(status: number, statusText: string, body: string, site: RequestSite): MetricError {
  const text = serverErrorText(body);
  if ((status === 400 || status === 422) && text !== undefined && site.query !== undefined)
    return new MetricError('query', `${site.service} rejected query '${oneLine(site.query)}': ${oneLine(text, 300)}`);
  const head = `${site.service} at ${site.url} answered HTTP ${status}${statusText ? ` ${oneLine(statusText, 60)}` : ''}`;
  const detail = text !== undefined ? `: ${oneLine(text, 300)}` : body.trim() ? `: ${oneLine(body, 80)}` : '';
  const hint =
    status === 401 || status === 403
      ? '; check bearerToken, basicAuth or headers in the runbook'
      : status === 404
        ? `; is the URL the API's base (no /api/v1 at the end)?`
        : status >= 500
          ? '; the server or a proxy in front of it is failing, retrying'
          : '';
  return new MetricError('http', `${head}${detail}${about(site)}${hint}`);
}

/** A 2xx answer that is not what the API promises (HTML from a proxy, truncated JSON, ...). */
export function badResponse(site: RequestSite, why: string): MetricError {
  return new MetricError(
    'bad-response',
    `${site.service} at ${site.url} sent an unexpected answer${about(site)}: ${oneLine(why, 200)}; is the URL pointing at its HTTP API?`,
  );
}

/** An answer bigger than the transport reads: refused rather than held in memory. */
export function tooLargeError(site: RequestSite, maxBytes: number): MetricError {
  const size = maxBytes >= 1024 * 1024 ? `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MiB` : `${maxBytes} bytes`;
  const hint = site.query !== undefined ? 'narrow the query (sum by, topk) so that fewer series come back' : 'narrow the request';
  return new MetricError('bad-response', `${site.service} at ${site.url} sent an answer larger than ${size}${about(site)}; ${hint}`);
}

/** `status: "error"` inside a 2xx answer. */
export function queryError(site: RequestSite, text: string): MetricError {
  return new MetricError('query', `${site.service} rejected query '${oneLine(site.query ?? '')}': ${oneLine(text, 300)}`);
}

/** Anything thrown while polling, as a MetricError (unknown errors become `network`). */
export function asMetricError(e: unknown): MetricError {
  if (e instanceof MetricError) return e;
  return new MetricError('network', oneLine((e as Error)?.message ?? String(e), 300));
}
