/**
 * One webhook POST, with node:http(s): a deadline over the whole request (connect, redirects,
 * answer), redirects followed by hand and only within the configured origin (as the Prometheus
 * client does, src/drivers/prometheus/http.ts: headers, maybe a token, never go elsewhere), and
 * the outcome classified for the retry policy. No connection is kept alive: notifications are
 * rare, and an idle socket must not hold the process open at exit. Never throws; messages name
 * no URL (a webhook URL is a secret) and quote an answer only scrubbed of what was sent.
 */
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { formatDuration } from '../runbook/duration.js';
import { oneLine, scrubText } from '../drivers/prometheus/errors.js';

/** How a POST ended: delivered with `status`; or why not, whether another attempt may help, and the wait the server asked for. */
export type PostResult =
  | { ok: true; status: number }
  | { ok: false; error: string; retry: boolean; status?: number; retryAfterMs?: number };

/** Where and how to POST: the expanded URL and headers (secrets, in memory for this request only). */
export interface PostTarget {
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Same-origin redirects followed (a proxy that adds a slash); more is a loop. */
const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);
/** Bytes of an error answer read for its message (Slack says `invalid_payload`, `no_service`). */
const ERROR_BODY_BYTES = 2048;
/** TLS failures another attempt will not fix. */
const TLS = /^(CERT_|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|HOSTNAME_MISMATCH|ERR_SSL_)/;

/** POSTs `body` (JSON) to the target; `signal` stops it (the session ended). */
export async function postJson(target: PostTarget, body: string, signal?: AbortSignal): Promise<PostResult> {
  const bad = Object.entries(target.headers).find(([, v]) => /[^\t\x20-\x7e\x80-\xff]/.test(v));
  // Checked here so that node's own error, which may quote the value, never happens.
  if (bad)
    return {
      ok: false,
      retry: false,
      error: `header ${bad[0]} holds a character a header cannot carry (a newline or control character), once \${VAR} is expanded`,
    };
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort('timeout'), target.timeoutMs);
  const stop = () => ac.abort('stopped');
  signal?.addEventListener('abort', stop, { once: true });
  const secrets = [target.url.href, target.url.pathname, ...Object.values(target.headers)].filter((s) => s.length >= 8);
  try {
    let at = target.url;
    for (let hop = 0; ; hop++) {
      const res = await send(at, target.headers, body, ac.signal);
      const location = REDIRECT.has(res.statusCode ?? 0) ? res.headers.location : undefined;
      if (location === undefined) return await outcome(res, secrets);
      res.destroy();
      let next: URL;
      try {
        next = new URL(location, at);
      } catch {
        return {
          ok: false,
          retry: false,
          status: res.statusCode,
          error: `redirected (HTTP ${res.statusCode}) to an address that is not a URL`,
        };
      }
      if (next.origin !== target.url.origin)
        return {
          ok: false,
          retry: false,
          status: res.statusCode,
          error: `redirected (HTTP ${res.statusCode}) to another origin, ${next.origin}; cutover posts only to the configured origin: point the webhook url at the final address`,
        };
      if (hop >= MAX_REDIRECTS)
        return { ok: false, retry: false, status: res.statusCode, error: `redirected more than ${MAX_REDIRECTS} times` };
      at = next;
    }
  } catch (e) {
    if (ac.signal.aborted)
      return ac.signal.reason === 'timeout'
        ? { ok: false, retry: true, error: `no answer within ${formatDuration(target.timeoutMs)}` }
        : { ok: false, retry: false, error: 'stopped: the session ended' };
    return networkFailure(e);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

/** One request; resolves with the answer's head (its body unread). */
async function send(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<IncomingMessage> {
  // Loaded on the first notification, not with the console (TLS is most of a cold start's modules).
  const request: (u: URL, o: RequestOptions) => ClientRequest =
    url.protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      signal,
      headers: {
        'user-agent': 'cutover',
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(body);
  });
}

/** A final answer: 2xx delivered; 408, 429 and 5xx worth another attempt (after Retry-After); the rest refused. */
async function outcome(res: IncomingMessage, secrets: string[]): Promise<PostResult> {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    res.resume();
    return { ok: true, status };
  }
  const text = await head(res);
  // A server may echo what it was sent (the URL, a header): scrubbed before any of it is cut short.
  const said = oneLine(scrubText(text, secrets), 100);
  const error = `HTTP ${status}${said ? `: ${said}` : ''}`;
  const retry = status === 408 || status === 429 || status >= 500;
  const after = retry ? retryAfterMs(res.headers['retry-after'], Date.now()) : undefined;
  return { ok: false, retry, status, error, ...(after !== undefined ? { retryAfterMs: after } : {}) };
}

/** The first ERROR_BODY_BYTES of an answer; the rest is not read. */
function head(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      res.destroy();
      resolve(Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString('utf8'));
    };
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= ERROR_BODY_BYTES) done();
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}

/** `Retry-After` in ms: seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A request that got no answer: refused, reset, DNS, TLS. Only TLS failures are final. */
function networkFailure(e: unknown): PostResult {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return { ok: false, retry: true, error: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { ok: false, retry: true, error: 'connection reset before an answer' };
  if (code === 'ENOTFOUND' || code.startsWith('EAI_')) return { ok: false, retry: true, error: `DNS lookup failed (${code})` };
  if (code.startsWith('ERR_INVALID'))
    return { ok: false, retry: false, error: `the request could not be built (${code}); check the webhook's headers` };
  if (TLS.test(code)) return { ok: false, retry: false, error: `TLS: ${code}; check the webhook's certificate` };
  // Node's own words may name the address: host and port, never the path; still, only the code is kept.
  return { ok: false, retry: true, error: `network error${code ? ` (${code})` : ''}` };
}
