/** Talks to a live session's socket: one request, one answer, with a deadline; never hangs. */
import { connect } from 'node:net';
import { MAX_REQUEST_BYTES, type Answer, type Request } from './protocol.js';

/** Sends `req` to the console listening on `path`; resolves with its answer, or an error answer (never rejects). */
export function ask(path: string, req: Request, timeoutMs = 5000): Promise<Answer> {
  return new Promise((resolve) => {
    let buf = '';
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(a);
    };
    const sock = connect(path);
    const timer = setTimeout(
      () => done({ ok: false, error: `${path}: no answer within ${timeoutMs / 1000} s; is the console still running?` }),
      timeoutMs,
    );
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.length > MAX_REQUEST_BYTES)
        return done({ ok: false, error: `${path}: the answer is too long; is this a cutover session socket?` });
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      try {
        const a = JSON.parse(buf.slice(0, nl)) as Answer;
        done(typeof a === 'object' && a !== null && typeof a.ok === 'boolean' ? a : { ok: false, error: `${path}: not a cutover answer` });
      } catch {
        done({ ok: false, error: `${path}: not a cutover answer` });
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) =>
      done({
        ok: false,
        error:
          e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
            ? `${path}: no live session there (the console has ended, or never started)`
            : `${path}: ${e.code ?? e.message}`,
      }),
    );
    sock.on('close', () => done({ ok: false, error: `${path}: the console closed the connection without an answer` }));
  });
}
