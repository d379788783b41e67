/**
 * Finding and opening a journal to follow: `--latest` (the journal of the sessions directory
 * written to last: a live session journals every few seconds), a missing file, something that is
 * not a journal. Each mistake is one line naming the file and saying what to do.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EventReader } from '../replay/reader.js';
import { FollowIndex } from './follow-index.js';
import { findLive } from './find.js';

/** A journal that cannot be followed; the message names the file and says what to do. */
export class CannotFollow extends Error {}

/** How long a journal just created may stay without its first line (the console writes it at once). */
const FIRST_LINE_MS = 5000;

/**
 * The session to follow in `dir`: the newest whose console answers on its socket (find.ts, as
 * `cutover mark` finds it), else the journal written to last (a session that ended, or a console
 * without a socket). Throws CannotFollow when there is no journal at all.
 */
export async function latestJournal(dir: string): Promise<string> {
  const live = await findLive(dir, 500);
  if ('journal' in live) return live.journal;
  return newestJournal(dir);
}

/** The journal in `dir` written to last. Throws CannotFollow when there is none. */
function newestJournal(dir: string): string {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new CannotFollow(`${dir}: cannot list (${(e as NodeJS.ErrnoException).code})`);
    names = [];
  }
  let best: { path: string; mtime: number } | undefined;
  for (const n of names) {
    const path = join(dir, n);
    try {
      const st = statSync(path);
      // Ties (one write in the same tick): the later name, which is the later start.
      if (st.isFile() && (!best || st.mtimeMs > best.mtime || (st.mtimeMs === best.mtime && path > best.path)))
        best = { path, mtime: st.mtimeMs };
    } catch {
      // Removed while listing: not the one to follow.
    }
  }
  if (!best) throw new CannotFollow(`no session journal in ${dir}; start one with 'cutover run', or name a journal file`);
  return best.path;
}

/** Opens `path` and reads until its first event: a session/started, or it is refused. `waitMs`: how long an empty file may stay empty. */
export async function openFollow(path: string, waitMs = FIRST_LINE_MS): Promise<FollowIndex> {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CannotFollow(
      code === 'ENOENT'
        ? `${path}: no such file; 'cutover sessions' lists the journals, or use --latest`
        : `${path}: cannot open (${code})`,
    );
  }
  // Only regular files: a FIFO would block the read forever, a directory is no journal.
  if (!st.isFile()) throw new CannotFollow(`${path}: not a regular file, not a journal`);
  let index: FollowIndex;
  try {
    index = FollowIndex.open(path);
  } catch (e) {
    throw new CannotFollow(`${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const until = performance.now() + waitMs;
  while (index.count === 0 && index.problems.length === 0) {
    // One line at a time: the follower's hooks (operator, approvals) hear every event after the first.
    if (index.look()) index.step(1, 1);
    else if (performance.now() > until) {
      index.close();
      throw new CannotFollow(
        `${path}: ${index.size ? 'its first line never ended' : 'empty'} after ${waitMs / 1000} s; is it a cutover journal of a running session?`,
      );
    } else await new Promise((r) => setTimeout(r, 50));
  }
  if (index.count === 0 || new EventReader(index).get(0).type !== 'session/started') {
    const p = index.problems[0];
    index.close();
    throw new CannotFollow(
      `${path}: not a cutover journal${p ? ` (line ${p.line}: ${p.message})` : ': it does not start with session/started'}`,
    );
  }
  return index;
}
