/** Opens a journal for replay: index its start (enough for a first frame), check it is a session, make the player. */
import { existsSync, statSync } from 'node:fs';
import { JournalIndex } from './indexer.js';
import { readEdges } from './edges.js';
import { Player, type PlayerOptions } from './player.js';
import { EventReader } from './reader.js';

/** A journal that cannot be replayed; the message names the file and says what to do. */
export class UnreadableJournal extends Error {}

/** Opens `path`; indexes until the first event (and up to `startAt`, when given); the rest is left to `index.run()`. */
export async function openReplay(path: string, o: PlayerOptions = {}): Promise<Player> {
  if (!existsSync(path)) throw new UnreadableJournal(`${path}: no such file; 'cutover sessions' lists the recorded journals`);
  // Only regular files: a FIFO would block the read forever, a directory is no journal.
  if (!statSync(path).isFile()) throw new UnreadableJournal(`${path}: not a regular file, not a journal`);
  let index: JournalIndex;
  try {
    index = JournalIndex.open(path);
  } catch (e) {
    throw new UnreadableJournal(
      (e as Error).message.startsWith(path)
        ? (e as Error).message
        : `${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const expectedEnd = readEdges(path).last?.t;
  while (!index.done && index.count === 0) index.step(20);
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
  return new Player(index, { ...o, ...(expectedEnd !== undefined ? { expectedEnd } : {}) });
}
