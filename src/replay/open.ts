/** Opens a journal for replay: index its start (enough for a first frame), check it is a session, make the player. */
import { existsSync, statSync } from 'node:fs';
import { JournalIndex } from './indexer.js';
import { readEdges } from './edges.js';
import { Player, type PlayerOptions } from './player.js';
import { EventReader } from './reader.js';
import { IntegrityWatch } from './integrity-watch.js';
import { FUTURE_MS } from './plausible.js';

/** Lines that may be skipped before the first event before the file is called unreadable. */
const FIRST_PROBLEMS = 1000;

/** A journal that cannot be replayed; the message names the file and says what to do. */
export class UnreadableJournal extends Error {}

/**
 * Opens `path`; indexes until the first event (and up to `startAt`, when given); the rest is left to
 * `index.run()`. The integrity check starts beside it (`player.integrity`, unless `o.verify` is false).
 */
export async function openReplay(path: string, o: PlayerOptions = {}): Promise<Player> {
  if (!existsSync(path)) throw new UnreadableJournal(`${path}: no such file; 'cutover sessions' lists the recorded journals`);
  // Only regular files: a FIFO would block the read forever, a directory is no journal.
  if (!statSync(path).isFile()) throw new UnreadableJournal(`${path}: not a regular file, not a journal`);
  let index: JournalIndex;
  try {
    index = JournalIndex.open(path, o.now !== undefined ? { now: o.now } : {});
  } catch (e) {
    throw new UnreadableJournal(
      (e as Error).message.startsWith(path)
        ? (e as Error).message
        : `${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const edges = readEdges(path);
  // Known from the first line alone: the indexer would skip every event of a file that is no session, one problem each.
  if (edges.first && edges.first.type !== 'session/started') {
    index.close();
    throw new UnreadableJournal(`${path}: not a cutover journal: it does not start with session/started`);
  }
  // The tail's time sizes the bar until indexing gets there: only when it could be the session's end (not a forged year 3000).
  const end = edges.last?.t;
  const expectedEnd = end !== undefined && end >= (edges.first?.t ?? 0) && end <= (o.now ?? Date.now()) + FUTURE_MS ? end : undefined;
  // Bounded: a file of garbage is not read to its end before saying so.
  while (!index.done && index.count === 0 && index.problems.length < FIRST_PROBLEMS) index.step(20);
  if (index.count === 0) {
    index.close();
    const p = index.problems[0];
    throw new UnreadableJournal(
      `${path}: no event could be read${p ? ` (line ${p.line}: ${p.message})` : ' (the file is empty)'}; is it a cutover journal?`,
    );
  }
  if (new EventReader(index).get(0).type !== 'session/started') {
    index.close();
    throw new UnreadableJournal(`${path}: not a cutover journal: it does not start with session/started`);
  }
  if (o.startAt) {
    const target = index.times.at(0) + o.startAt;
    while (!index.done && index.times.at(index.count - 1) < target) {
      index.step(50);
      await new Promise((r) => setImmediate(r));
    }
  }
  const player = new Player(index, { ...o, ...(expectedEnd !== undefined ? { expectedEnd } : {}) });
  if (o.verify ?? true) player.integrity = new IntegrityWatch(path, () => player.changed(), index.finished);
  return player;
}
