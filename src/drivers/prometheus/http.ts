/**
 * The HTTP transport shared by the Prometheus and Alertmanager clients: Node's fetch, a timeout
 * per request, headers and auth from the runbook with `${VAR}` taken from the environment at the
 * moment of each request (so secrets live only in memory, only as long as the request).
 */
import { MissingEnvError, expandEnv } from '../../runbook/env.js';
import {
  MetricError,
  badResponse,
  displayUrl,
  httpError,
  networkError,
  oneLine,
  redirectError,
  scrubSecrets,
  scrubText,
  timeoutError,
  tooLargeError,
  type RequestSite,
} from './errors.js';

/** Where and how to reach an HTTP API: the runbook's `prometheus` or `alertmanager` section. */
export interface HttpTarget {
  url: string;
  /** Per-request timeout in ms. */
  timeout?: number;
  headers?: Record<string, string>;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
}

/** How the transport runs: environment for `${VAR}`, and a fetch to use (tests may wrap it). */
export interface HttpOptions {
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Largest answer read, in bytes (default 16 MiB); a bigger one is refused, not buffered. */
  maxBodyBytes?: number;
}

/** Default per-request timeout, as the runbook format documents it. */
export const DEFAULT_TIMEOUT_MS = 4000;
/** Default cap on an answer's size: far above any panel's answer, far below trouble. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Raised inside the transport when the caller's own signal stopped the request. */
export class StoppedError extends Error {
  constructor() {
    super('request stopped');
    this.name = 'StoppedError';
  }
}

/**
 * GETs `path` under the target's base URL and returns the parsed JSON body of a 2xx answer.
 * Throws MetricError for every failure, or StoppedError when `signal` aborted it.
 */
export async function getJson(
  target: HttpTarget,
  service: string,
  path: string,
  params: [string, string][],
  opts: HttpOptions & { query?: string; signal?: AbortSignal },
): Promise<unknown> {
  const env = opts.env ?? process.env;
  const site: RequestSite = { service, url: displayUrl(target.url), ...(opts.query !== undefined ? { query: opts.query } : {}) };
  const { url, headers, secrets } = prepare(target, service, path, params, env);
  site.host = url.hostname;
  const timeout = target.timeout ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort('timeout'), timeout);
  const onStop = () => ac.abort('stopped');
  opts.signal?.addEventListener('abort', onStop, { once: true });
  try {
    if (opts.signal?.aborted) throw new StoppedError();
    let res: Response;
    let body: string;
    try {
      res = await fetchFollowing(opts.fetch ?? fetch, url, headers, ac.signal, site);
      // Reading the body is under the same signal: a server that stalls mid-body also times out.
      body = await readBody(res, maxBytes, ac);
    } catch (e) {
      if (e instanceof MetricError) throw e;
      if (ac.signal.aborted && ac.signal.reason === 'too-large') throw tooLargeError(site, maxBytes);
      if (ac.signal.aborted) throw ac.signal.reason === 'timeout' ? timeoutError(site, timeout) : new StoppedError();
      // fetch's own TypeErrors quote what they refuse (a header value, so maybe a secret): never pass them on.
      if (e instanceof TypeError && (e as { cause?: unknown }).cause === undefined)
        throw new MetricError(
          'config',
          `${service} request could not be built (${oneLine(e.message.replace(/"[^"]*"/g, '"…"'), 120)}); check ${service.toLowerCase()} in the runbook`,
        );
      throw networkError(e, site);
    }
    // A server may echo what it was sent (a token, a tenant) in its error text: never show it.
    // Scrubbed whole, before any of it is cut short for a message.
    if (res.status < 200 || res.status > 299) throw httpError(res.status, res.statusText, scrubText(body, secrets), site);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      const type = res.headers.get('content-type') ?? 'no content type';
      throw badResponse(site, `HTTP ${res.status} with a body that is not JSON (${type}): "${scrubText(body, secrets).slice(0, 60)}"`);
    }
    const envelope = parsed as { status?: unknown; error?: unknown } | null;
    if (envelope && typeof envelope === 'object' && envelope.status === 'error' && typeof envelope.error === 'string')
      envelope.error = scrubText(envelope.error, secrets);
    return parsed;
  } catch (e) {
    throw e instanceof MetricError ? scrubSecrets(e, secrets) : e;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onStop);
  }
}

/** Same-origin redirects followed before giving up (Prometheus behind a path-rewriting proxy needs one or two). */
export const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url`, following redirects by hand: only within the configured origin (scheme, host and
 * port), so the headers (a token, an API key) never go anywhere else. fetch's own following
 * drops `Authorization` on a cross-origin hop but sends every other header on.
 */
async function fetchFollowing(
  f: typeof fetch,
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  site: RequestSite,
): Promise<Response> {
  let at = url;
  for (let hop = 0; ; hop++) {
    const res = await f(at, { headers, signal, redirect: 'manual' });
    const location = REDIRECT.has(res.status) ? res.headers.get('location') : null;
    // Without a Location a 3xx is just an answer; the caller reports it as an HTTP error.
    if (location === null) return res;
    await res.body?.cancel().catch(() => {});
    let next: URL;
    try {
      next = new URL(location, at);
    } catch {
      throw redirectError(site, res.status, 'to an address that is not a URL');
    }
    if (next.origin !== url.origin) throw redirectError(site, res.status, `to another origin, ${next.origin}`);
    if (hop >= MAX_REDIRECTS) throw redirectError(site, res.status, `more than ${MAX_REDIRECTS} times`);
    at = next;
  }
}

/** Reads the body as text, giving up (aborting the request) past `maxBytes`. */
async function readBody(res: Response, maxBytes: number, ac: AbortController): Promise<string> {
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    ac.abort('too-large');
    throw new Error('too large');
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      ac.abort('too-large');
      throw new Error('too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Builds the URL and headers, expanding `${VAR}`; a missing variable is a `config` error. */
function prepare(target: HttpTarget, service: string, path: string, params: [string, string][], env: NodeJS.ProcessEnv) {
  const section = service.toLowerCase();
  try {
    const url = new URL(expandEnv(target.url, env, `${section}.url`).replace(/\/+$/, '') + path);
    for (const [k, v] of params) url.searchParams.append(k, v);
    // Answers are small; inflating gzip costs more CPU than the bytes it saves (most of the poller's CPU in the benchmark).
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'identity' };
    for (const [k, v] of Object.entries(target.headers ?? {})) headers[k] = expandEnv(v, env, `${section}.headers.${k}`);
    let user = target.basicAuth ? expandEnv(target.basicAuth.username, env, `${section}.basicAuth.username`) : undefined;
    let pass = target.basicAuth ? expandEnv(target.basicAuth.password, env, `${section}.basicAuth.password`) : undefined;
    // fetch refuses URLs with credentials in them; move them into the header instead.
    if (url.username || url.password) {
      user ??= decodeURIComponent(url.username);
      pass ??= decodeURIComponent(url.password);
      url.username = '';
      url.password = '';
    }
    const token = target.bearerToken !== undefined ? expandEnv(target.bearerToken, env, `${section}.bearerToken`) : undefined;
    // Validate refuses two credential sources; a runbook that skipped it (a journal's copy) must not send `Bearer X, Bearer X`.
    if ((token !== undefined || user !== undefined) && Object.keys(headers).some((k) => k.toLowerCase() === 'authorization'))
      throw new MetricError(
        'config',
        `${section} sets an Authorization header and ${token !== undefined ? 'bearerToken' : 'basicAuth or credentials in the url'}; keep only one of them`,
      );
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    else if (user !== undefined) headers.authorization = `Basic ${Buffer.from(`${user}:${pass ?? ''}`).toString('base64')}`;
    for (const [k, v] of Object.entries(headers)) {
      // Checked here so that fetch's own error, which quotes the value, never happens.
      if (/[^\t\x20-\x7e\x80-\xff]/.test(v))
        throw new MetricError(
          'config',
          `${section}.${k === 'authorization' ? 'bearerToken/basicAuth' : `headers.${k}`} holds a character an HTTP header cannot carry (a newline, a control or non-Latin-1 character), once \${VAR} is expanded; check the runbook and the environment`,
        );
    }
    // Everything that may be secret, longest first, to scrub from messages.
    const secrets = [...envValues(target, env), token, pass, headers.authorization, headers.authorization?.replace(/^\w+ /, '')]
      .filter((x): x is string => x !== undefined && x !== '')
      .sort((a, b) => b.length - a.length);
    return { url, headers, secrets };
  } catch (e) {
    if (e instanceof MetricError) throw e;
    if (e instanceof MissingEnvError) throw new MetricError('config', e.message);
    throw new MetricError('config', `${section}.url '${displayUrl(target.url)}' is not a valid URL; check the runbook`);
  }
}

/** The values every `${VAR}` of the target's url, headers and auth expands to. */
function envValues(target: HttpTarget, env: NodeJS.ProcessEnv): string[] {
  const texts = [
    target.url,
    ...Object.values(target.headers ?? {}),
    target.bearerToken ?? '',
    target.basicAuth?.username ?? '',
    target.basicAuth?.password ?? '',
  ];
  const out: string[] = [];
  for (const t of texts) for (const m of t.matchAll(/\$\{([A-Za-z_]\w*)\}/g)) if (env[m[1]]) out.push(env[m[1]]!);
  return out;
}
