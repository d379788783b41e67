/**
 * The HTTP transport shared by the Prometheus and Alertmanager clients: Node's fetch, a timeout
 * per request, headers and auth from the runbook with `${VAR}` taken from the environment at the
 * moment of each request (so secrets live only in memory, only as long as the request).
 */
import { MissingEnvError, expandEnv } from '../../runbook/env.js';
import { MetricError, badResponse, displayUrl, httpError, networkError, timeoutError, type RequestSite } from './errors.js';

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
}

/** Default per-request timeout, as the runbook format documents it. */
export const DEFAULT_TIMEOUT_MS = 4000;

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
  const { url, headers } = prepare(target, service, path, params, env);
  site.host = url.hostname;
  const timeout = target.timeout ?? DEFAULT_TIMEOUT_MS;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort('timeout'), timeout);
  const onStop = () => ac.abort('stopped');
  opts.signal?.addEventListener('abort', onStop, { once: true });
  try {
    if (opts.signal?.aborted) throw new StoppedError();
    let res: Response;
    let body: string;
    try {
      res = await (opts.fetch ?? fetch)(url, { headers, signal: ac.signal, redirect: 'follow' });
      // Reading the body is under the same signal: a server that stalls mid-body also times out.
      body = await res.text();
    } catch (e) {
      if (ac.signal.aborted) throw ac.signal.reason === 'timeout' ? timeoutError(site, timeout) : new StoppedError();
      throw networkError(e, site);
    }
    if (res.status < 200 || res.status > 299) throw httpError(res.status, res.statusText, body, site);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      const type = res.headers.get('content-type') ?? 'no content type';
      throw badResponse(site, `HTTP ${res.status} with a body that is not JSON (${type}): "${body.slice(0, 60)}"`);
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onStop);
  }
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
    if (target.bearerToken !== undefined) headers.authorization = `Bearer ${expandEnv(target.bearerToken, env, `${section}.bearerToken`)}`;
    else if (user !== undefined) headers.authorization = `Basic ${Buffer.from(`${user}:${pass ?? ''}`).toString('base64')}`;
    return { url, headers };
  } catch (e) {
    if (e instanceof MissingEnvError) throw new MetricError('config', e.message);
    throw new MetricError('config', `${section}.url '${displayUrl(target.url)}' is not a valid URL; check the runbook`);
  }
}
