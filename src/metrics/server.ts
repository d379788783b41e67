/**
 * The HTTP listener Prometheus scrapes: GET /metrics, nothing else. It never takes the console
 * down: a scrape that fails answers 500 with one line, a broken client is dropped, and an error of
 * the listening socket after it bound is ignored (the console goes on without its metrics).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { hostPort, type ListenAddress } from './listen.js';

/** A bound listener. */
export interface MetricsServer {
  /** The address actually bound. */
  address: { host: string; port: number };
  /** http://HOST:PORT/metrics */
  url: string;
  /** Stops listening and drops open connections (a scraper's keep-alive would hold the process otherwise). Idempotent. */
  close(): Promise<void>;
}

/** Binds `a` and serves `registry`; rejects with a one-line Error saying what to do when it cannot bind. */
export async function listenMetrics(a: ListenAddress, registry: Registry): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('GET /metrics\n');
      return;
    }
    registry
      .metrics()
      .then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : body),
        (e: unknown) =>
          res
            .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
            .end(`cutover: the metrics could not be computed: ${String((e as Error)?.message ?? e).split('\n')[0]}\n`),
      )
      // A client gone mid-answer: nothing to tell it, and no unhandled rejection to end the console.
      .catch(() => res.destroy());
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  // Scrapes are small and quick: a client that holds a request open is not waited for.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(bindError(a, e))));
    server.listen({ host: a.host, port: a.port, exclusive: true }, () => resolve());
  });
  // After the bind, a socket error must not become an uncaught exception in the console.
  server.removeAllListeners('error');
  server.on('error', () => {});
  const bound = server.address() as AddressInfo;
  const address = { host: bound.address, port: bound.port };
  return { address, url: `http://${hostPort(address.host, address.port)}/metrics`, close: closer(server) };
}

function closer(server: Server): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
}

/** The one line for a bind that failed, naming the address and what to do. */
function bindError(a: ListenAddress, e: NodeJS.ErrnoException): string {
  const at = `--metrics-listen ${hostPort(a.host, a.port)}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return `${at}: the port is in use (EADDRINUSE); pick another port, or stop what listens there`;
    case 'EADDRNOTAVAIL':
      return `${at}: ${a.host} is not an address of this machine (EADDRNOTAVAIL); use one it has, or 127.0.0.1`;
    case 'EACCES':
      return `${at}: not allowed to listen there (EACCES); ports below 1024 need privileges: pick a port above 1023`;
    default:
      return `${at}: cannot listen (${e.code ?? e.message})`;
  }
}
