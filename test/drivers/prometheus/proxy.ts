/**
 * A fault-injecting HTTP proxy in front of the real Prometheus: it delays requests, answers in
 * place of Prometheus the way broken infrastructure does (a 503 from a load balancer, an HTML
 * login page), or demands a bearer token. It counts requests in flight per PromQL query, so a
 * test can see whether a panel ever had two requests open at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the proxy misbehaves; all off by default. */
export interface ProxyMode {
  delayMs?: number;
  /** Answer this status and body instead of forwarding. */
  status?: number;
  body?: string;
  contentType?: string;
  /** Answer 401 unless `Authorization: Bearer <token>` is sent. */
  bearer?: string;
  /** Forward, and add these `warnings` to Prometheus's answer, as Thanos does for a partial response. */
  warnings?: string[];
  /** With `status`: send `body` chunked (no Content-Length), as a streaming server does. */
  chunked?: boolean;
  /** Answer 200 headers and the start of a body, then one byte every `trickleMs`, never ending (a slow-loris body). */
  trickleMs?: number;
  /** Answer 401 with a JSON error quoting every header received, as some gateways do. */
  echoHeaders?: boolean;
}

/** A running proxy. */
export interface FaultProxy {
  url: string;
  set(mode: ProxyMode): void;
  /** Most requests open at the same time for `query` (or for a path, when there is no query). */
  maxInFlight(key: string): number;
  /** Requests open right now, over all keys. */
  open(): number;
  /** Requests received for `key`. */
  count(key: string): number;
  /** Authorization headers seen, for checking what was sent. */
  authHeaders(): string[];
  reset(): void;
  stop(): Promise<void>;
}

/** Starts a proxy to `upstream` (a base URL) on a free port of 127.0.0.1. */
export async function startProxy(upstream: string): Promise<FaultProxy> {
  let mode: ProxyMode = {};
  const inFlight = new Map<string, number>();
  const max = new Map<string, number>();
  const counts = new Map<string, number>();
  let auth: string[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://proxy');
    const key = u.searchParams.get('query') ?? u.pathname;
    const m = mode;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    max.set(key, Math.max(max.get(key) ?? 0, inFlight.get(key)!));
    if (req.headers.authorization) auth.push(req.headers.authorization);
    // 'close' fires when the answer is sent or the client gave up: either way it is no longer open.
    res.once('close', () => inFlight.set(key, inFlight.get(key)! - 1));
    const answer = async () => {
      if (res.destroyed) return;
      if (m.trickleMs !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' }).write('{"status":"success","data":');
        const drip = setInterval(() => res.write(' '), m.trickleMs);
        res.once('close', () => clearInterval(drip));
      } else if (m.echoHeaders) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'error', error: `refused: ${JSON.stringify(req.headers)}` }));
      } else if (m.status !== undefined && m.chunked) {
        res.writeHead(m.status, { 'content-type': m.contentType ?? 'text/plain' });
        const body = m.body ?? '';
        for (let i = 0; i < body.length; i += 1024) res.write(body.slice(i, i + 1024));
        res.end();
      } else if (m.bearer !== undefined && req.headers.authorization !== `Bearer ${m.bearer}`) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
      } else if (m.status !== undefined) {
        res.writeHead(m.status, { 'content-type': m.contentType ?? 'text/plain' }).end(m.body ?? '');
      } else {
        const up = await fetch(upstream + (req.url ?? '/'));
        let body = await up.text();
        if (m.warnings) body = JSON.stringify({ ...(JSON.parse(body) as object), warnings: m.warnings });
        if (!res.destroyed) res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' }).end(body);
      }
    };
    setTimeout(() => void answer().catch(() => res.destroy()), m.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    set: (m) => void (mode = m),
    maxInFlight: (k) => max.get(k) ?? 0,
    count: (k) => counts.get(k) ?? 0,
    open: () => [...inFlight.values()].reduce((a, b) => a + b, 0),
    authHeaders: () => auth,
    reset() {
      max.clear();
      counts.clear();
      auth = [];
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
