/** Finding the live session on this machine: the newest journal of the sessions directory whose console answers. */
import { lstatSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ask } from './client.js';
import { SOCKET_NAME, socketPath, type Answer } from './protocol.js';

/** Sockets asked, newest first, before giving up: a directory of crashed consoles' leftovers is not scanned whole. */
const MAX_TRIED = 20;

/** A live session: its journal, and what its console said to hello. */
export interface Live {
  journal: string;
  session: NonNullable<Extract<Answer, { ok: true }>['session']>;
}

/**
 * The newest session in `dir` whose socket answers hello (sockets ordered by when their console
 * made them); or a one-line reason none does. Dead sockets of crashed consoles are passed over.
 */
export async function findLive(dir: string, timeoutMs = 1000): Promise<Live | { error: string }> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => SOCKET_NAME.test(n));
  } catch (e) {
    // No sessions directory: no session ever ran here, so none is live.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      return { error: `no live session: cannot read ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    names = [];
  }
  const socks = names
    .flatMap((n) => {
      const st = lstatSync(join(dir, n), { throwIfNoEntry: false });
      return st?.isSocket() ? [{ path: join(dir, n), at: st.mtimeMs }] : [];
    })
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_TRIED);
  for (const s of socks) {
    const a = await ask(s.path, { op: 'hello' }, timeoutMs);
    // The console names its journal; it must be the one this socket is named for.
    if (a.ok && a.session && basename(socketPath(a.session.journal)) === basename(s.path))
      return { journal: a.session.journal, session: a.session };
  }
  return {
    error: `no live session in ${dir}${socks.length ? ` (${socks.length} socket${socks.length > 1 ? 's' : ''} there, none answers)` : ''}: start one with cutover run, or name its journal with --session JOURNAL`,
  };
}
