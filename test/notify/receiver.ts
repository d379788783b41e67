/**
 * A webhook receiver for the notifier's tests: a real node:http server on 127.0.0.1 that records
 * every request (headers and body) and answers as the test scripts it, request by request: a
 * status, a Retry-After, a redirect, a delay, or no answer at all (it hangs until stopped).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received. */
export interface Received {
  n: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `body` parsed (every notification is JSON). */
  json: Record<string, unknown>;
  at: number;
}

/** How to answer request number `n` (1-based); `hang` never answers. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | { hang: true };

/** A running receiver. */
export interface Receiver {
  url: string;
  origin: string;
  received: Received[];
  stop(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1; `answer` decides each reply (default 200 "ok"). */
export async function startReceiver(answer: (n: number, path: string) => Answer = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = received.length + 1;
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // Left empty: the test's assertion on the body says what was wrong.
      }
      received.push({ n, path: req.url ?? '', headers: req.headers, body, json, at: Date.now() });
      const a = answer(n, req.url ?? '');
      if ('hang' in a) return void hanging.add(res);
      const reply = () => {
        res.writeHead(a.status, a.headers ?? {});
        res.end(a.body ?? '');
      };
      if (a.delayMs) {
        hanging.add(res);
        setTimeout(() => {
          hanging.delete(res);
          if (!res.destroyed) reply();
        }, a.delayMs);
      } else reply();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/hook`,
    origin,
    received,
    stop: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
export async function refusingUrl(): Promise<string> {
  const r = await startReceiver();
  await r.stop();
  return r.url;
}
