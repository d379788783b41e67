/**
 * The console's end of the live socket (protocol.ts): a 0600 Unix socket beside the journal that
 * answers hello, mark and approve, one JSON line each. It must never block or slow the console, so
 * every client is bounded: a request line of at most MAX_REQUEST_BYTES, a deadline to send it, a
 * few requests queued per connection, and a cap on connections at once (the next ones are told the
 * console is busy and closed). No window where the socket is reachable by others: it is bound
 * inside a fresh 0700 directory, made 0600, then renamed into place (which also replaces a stale
 * socket left by a console that crashed, once nothing answers on it).
 */
import { connect, createServer, type Socket } from 'node:net';
import { chmod, lstat, mkdtemp, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { MAX_REQUEST_BYTES, socketPath, type Answer } from './protocol.js';
import { answerLine, type LiveDesk } from './requests.js';

export type { LiveDesk } from './requests.js';

/** Bounds of the server; tests make them small. */
export interface LiveServerOptions {
  /** Connections at once (default 32): more are answered "busy" and closed. */
  maxClients?: number;
  /** How long a client may take to send a whole request line (default 5 s). */
  requestMs?: number;
}

/** The longest path a Unix socket may have on Linux (sun_path less its terminating NUL). */
const MAX_SOCKET_PATH = 107;
/** Requests a connection may have queued before the console closes it. */
const MAX_QUEUED = 8;

/** A running live socket. */
export interface LiveServer {
  /** The socket's path (protocol.ts socketPath: beside the journal). */
  readonly path: string;
  /** Connections open now. */
  clients(): number;
  /** Stops listening, closes every connection and removes the socket file (if it is still ours). */
  close(): Promise<void>;
}

/** Listens on the journal's socket; rejects with a one-line error when another console answers there or it cannot bind. */
export async function listenLive(journal: string, desk: LiveDesk, o: LiveServerOptions = {}): Promise<LiveServer> {
  const path = socketPath(journal);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH)
    throw new Error(`${path}: longer than a Unix socket path may be (${MAX_SOCKET_PATH} bytes); use a shorter XDG_STATE_HOME`);
  await clearStale(path);
  const clients = new Set<Socket>();
  const server = createServer({ allowHalfOpen: false }, (sock) => serve(sock, desk, clients, o));
  // Bound where only we can reach it, made 0600, then moved into place: never world-connectable.
  const dir = await mkdtemp(join(dirname(path), '.s'));
  const temp = join(dir, 's');
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(temp, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (e) {
    server.close();
    await rmdir(dir).catch(() => {});
    throw new Error(`cannot listen on ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    await unlink(temp).catch(() => {});
    await rmdir(dir).catch(() => {});
  }
  const ino = (await stat(path)).ino;
  let closing: Promise<void> | undefined;
  return {
    path,
    clients: () => clients.size,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        for (const s of clients) s.destroy();
        await closed;
        // Only our own socket: a console started on this journal since (resume) may have replaced it.
        if ((await stat(path).catch(() => undefined))?.ino === ino) await unlink(path).catch(() => {});
      })()),
  };
}

/** A socket file already at `path`: an error if a console answers on it, removed if it is a dead one. */
async function clearStale(path: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return;
  if (!st.isSocket()) throw new Error(`${path} exists and is not a socket: move it away, the console's live socket goes there`);
  const alive = await new Promise<boolean>((resolve) => {
    const s = connect(path);
    const done = (v: boolean) => {
      s.destroy();
      resolve(v);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    setTimeout(() => done(true), 1000).unref();
  });
  if (alive) throw new Error(`another console is live on ${path}: one journal has one console`);
  // Left by a console that crashed (nothing answers): the rename in listenLive replaces it.
}

/** One connection: request lines in, one answer line each, in order; bounded in size, time and queue. */
function serve(sock: Socket, desk: LiveDesk, clients: Set<Socket>, o: LiveServerOptions): void {
  sock.on('error', () => {});
  if (clients.size >= (o.maxClients ?? 32)) {
    sock.end(line({ ok: false, error: `the console is busy (${clients.size} connections); try again in a few seconds` }));
    // Not held: gone within a second, read or not (closing the server does not wait on it).
    setTimeout(() => sock.destroy(), 1000).unref();
    return;
  }
  clients.add(sock);
  sock.on('close', () => clients.delete(sock));
  const requestMs = o.requestMs ?? 5000;
  const utf8 = new StringDecoder('utf8');
  let buf = '';
  let bytes = 0;
  let queued = 0;
  let chain = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  // A client has `requestMs` to send a whole line, from its connection or its last answer: a silent one is closed.
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => refuse(`no complete request within ${requestMs / 1000} s: send one JSON line`), requestMs);
    timer.unref();
  };
  const refuse = (error: string) => {
    clearTimeout(timer);
    sock.pause();
    sock.end(line({ ok: false, error }));
    // A client that never reads must not keep the socket: closed after a moment whatever it does.
    setTimeout(() => sock.destroy(), 1000).unref();
  };
  arm();
  sock.on('end', () => clearTimeout(timer));
  sock.on('close', () => clearTimeout(timer));
  sock.on('data', (d: Buffer) => {
    bytes += d.length;
    buf += utf8.write(d);
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
      const req = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      bytes = Buffer.byteLength(buf);
      if (++queued > MAX_QUEUED) return refuse(`more than ${MAX_QUEUED} requests waiting: send one, read its answer`);
      clearTimeout(timer);
      chain = chain.then(async () => {
        const a = await answerLine(req, desk);
        queued--;
        if (sock.destroyed) return;
        // A client that sends and never reads would make its answers pile up in the console's memory.
        if (sock.writableLength > MAX_UNREAD_BYTES) return void sock.destroy();
        sock.write(line(a));
        if (queued === 0) arm();
      });
    }
    if (bytes > MAX_REQUEST_BYTES) refuse(`the request is longer than ${MAX_REQUEST_BYTES} bytes; one line of JSON is much less`);
  });
}

/** Answers a client may leave unread before it is disconnected. */
const MAX_UNREAD_BYTES = 64 * 1024;

/** An answer as one line. */
function line(a: Answer): string {
  return `${JSON.stringify(a)}\n`;
}
