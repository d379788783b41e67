/**
 * One SSH connection per host, shared by every step of a session: keyed by user, address, port
 * and route, so two runbook entries that resolve to the same place share it, and the hosts behind
 * one bastion share the bastion's connection. A connection that drops is forgotten, so the next
 * command reconnects; closeAll() ends them all when the session does.
 */
import { setMaxListeners } from 'node:events';
import type { Client } from 'ssh2';
import { ConnectError, openConnection, type Notice } from './connection.js';
import { loadSsh2 } from './ssh2.js';
import type { Target } from './target.js';

/** A connection handed to one command. `fresh` is false when it was reused from an earlier step. */
export interface Lease {
  client: Client;
  fresh: boolean;
}

interface Entry {
  pending: Promise<Client>;
  client?: Client;
  alive: boolean;
}

/** The session's SSH connections. */
export class SshPool {
  private readonly entries = new Map<string, Entry>();
  private closed = false;
  private readonly closing = new AbortController();

  /** `notice` hears about keys added to known_hosts under accept-new. */
  constructor(private readonly notice: Notice = () => {}) {
    setMaxListeners(0, this.closing.signal); // one listener per connection being opened
  }

  /** Connections open right now. */
  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.alive && e.client) n++;
    return n;
  }

  /** A live connection to `t` (and to its jump hosts), opening it if needed. */
  async acquire(t: Target): Promise<Lease> {
    if (this.closed) throw new ConnectError(`${t.label}: the session is closing; not connecting`);
    const have = this.entries.get(t.key);
    if (have?.alive) {
      const client = await have.pending;
      if (have.alive) return { client, fresh: false };
    }
    const entry: Entry = { alive: true, pending: undefined as unknown as Promise<Client> };
    entry.pending = this.connect(t, entry);
    this.entries.set(t.key, entry);
    entry.pending.catch(() => {
      entry.alive = false;
      if (this.entries.get(t.key) === entry) this.entries.delete(t.key);
    });
    return { client: await entry.pending, fresh: true };
  }

  /** Forgets a connection a command found broken, so the next acquire reconnects. */
  drop(t: Target, client: Client): void {
    const e = this.entries.get(t.key);
    if (e && e.client === client) {
      e.alive = false;
      this.entries.delete(t.key);
    }
    client.end();
  }

  /** Ends every connection; those still opening are abandoned, the rest get 2 s to close cleanly. */
  async closeAll(): Promise<void> {
    this.closed = true;
    this.closing.abort(); // connections still in their handshake give up now
    const all = [...this.entries.values()];
    this.entries.clear();
    const clients = (await Promise.allSettled(all.map((e) => e.pending))).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    await Promise.all(clients.map((c) => endClient(c)));
  }

  private async connect(t: Target, entry: Entry): Promise<Client> {
    const ssh2 = await loadSsh2();
    let via: Client | undefined;
    if (t.jump) {
      try {
        via = (await this.acquire(t.jump)).client;
      } catch (e) {
        throw new ConnectError(`${t.label}: through jump host ${t.jump.label}: ${(e as Error).message}`);
      }
    }
    const client = await openConnection(ssh2, t, via, this.notice, this.closing.signal);
    entry.client = client;
    const gone = () => {
      entry.alive = false;
      if (this.entries.get(t.key) === entry) this.entries.delete(t.key);
    };
    client.on('close', gone);
    client.on('end', gone);
    client.on('error', gone);
    if (this.closed) client.end();
    return client;
  }
}

function endClient(c: Client): Promise<void> {
  return new Promise((resolve) => {
    const sock = (c as unknown as { _sock?: { destroyed?: boolean; destroy(): void } })._sock;
    if (!sock || sock.destroyed) return resolve();
    const timer = setTimeout(() => {
      sock.destroy();
      resolve();
    }, 2000);
    c.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    c.end();
  });
}
