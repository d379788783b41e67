/**
 * `--metrics-listen [HOST:]PORT`: where the console serves its own metrics. A bare PORT is
 * 127.0.0.1:PORT: the console runs on an operator's laptop, and what it knows of the deploy is
 * nobody else's business unless the operator says so. An address that is not loopback is taken
 * when it is written out (10.0.0.5:9464, 0.0.0.0:9464, [::]:9464), as Prometheus exporters take
 * their listen address, and costs a one-line warning: typing it is the decision, a second flag
 * would add nothing to it. Host names other than localhost are refused (no DNS before the console
 * starts, and no doubt about which address was bound).
 */
import { isIP } from 'node:net';

/** Where to listen, and how far that reaches. */
export interface ListenAddress {
  host: string;
  port: number;
  /** loopback: this machine only; interface: one address of it; any: every interface. */
  scope: 'loopback' | 'interface' | 'any';
}

/** The address a bare PORT means. */
export const DEFAULT_HOST = '127.0.0.1';

/** Parses `[HOST:]PORT`; throws an Error whose message is one line saying what to write instead. */
export function parseListen(text: string): ListenAddress {
  const hint = `--metrics-listen takes PORT (127.0.0.1:PORT), 127.0.0.1:PORT, [::1]:PORT, or another address of this machine, not '${text}'`;
  let host: string;
  let portText: string;
  if (/^\d+$/.test(text)) {
    host = DEFAULT_HOST;
    portText = text;
  } else {
    const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]*):(\d+)$/.exec(text);
    if (!m) throw new Error(hint);
    host = m[1];
    portText = m[2];
    if (host === '')
      throw new Error(`--metrics-listen ${text}: write 0.0.0.0:${portText} to listen on every interface, or ${portText} for 127.0.0.1`);
    if (host === 'localhost') host = DEFAULT_HOST;
    // An IP address only, and IPv6 in brackets: no name to resolve, no doubt about what was bound.
    if (!isIP(host) || text.startsWith('[') !== (isIP(host) === 6)) throw new Error(hint);
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--metrics-listen ${text}: the port is a number from 1 to 65535`);
  return { host, port, scope: scopeOf(host) };
}

/** How far an address reaches. */
function scopeOf(host: string): ListenAddress['scope'] {
  if (host === '0.0.0.0' || host === '::') return 'any';
  if (host === '::1' || /^127\./.test(host) || /^::ffff:127\./i.test(host)) return 'loopback';
  return 'interface';
}

/** `host:port` as a URL or a Prometheus target writes it. */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The one-line warning for an address beyond loopback (undefined for loopback). */
export function exposureWarning(a: ListenAddress): string | undefined {
  const what = 'the runbook, the operator, step, gate and rollback states; there is no authentication';
  if (a.scope === 'any')
    return `metrics on every interface (${hostPort(a.host, a.port)}): anyone who reaches this machine can read them (${what})`;
  if (a.scope === 'interface')
    return `metrics on ${hostPort(a.host, a.port)}, beyond this machine: anyone who reaches that address can read them (${what})`;
  return undefined;
}
