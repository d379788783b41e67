/** A live journal for follower tests: the real JournalWriter, events stamped now, on a fixture runbook. */
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/events.js';
import { JournalWriter } from '../../src/journal/index.js';
import type { Runbook } from '../../src/runbook/index.js';
import { runbook } from '../core/fixtures.js';

/** An event without its time (stamped when it is appended): one of the union, not their common part. */
export type Untimed<E = SessionEvent> = E extends unknown ? Omit<E, 't'> & { t?: number } : never;

/** A journal being written, as the console writes one. */
export interface LiveJournal {
  path: string;
  writer: JournalWriter<SessionEvent>;
  /** Appends an event stamped now (or `t`), and waits until it is in the file. */
  add(e: Untimed): Promise<void>;
}

/** Creates `dir/name` and journals session/started by `operator` on `rb` (default: the blue-green fixture). */
export async function liveJournal(dir: string, o: { name?: string; operator?: string; rb?: Runbook } = {}): Promise<LiveJournal> {
  const path = join(dir, o.name ?? 'live.jsonl');
  const writer = await JournalWriter.create<SessionEvent>(path);
  const add = async (e: Untimed) => {
    await writer.append({ ...e, t: e.t ?? Date.now() } as SessionEvent);
    await writer.flush();
  };
  await add({
    type: 'session/started',
    sessionId: 'follow-test',
    runbook: o.rb ?? runbook(),
    runbookPath: 'fixtures/runbooks/blue-green.yaml',
    runbookSha256: '0'.repeat(64),
    operator: o.operator ?? 'alice',
    mode: 'live',
    version: '0.1.0',
  });
  return { path, writer, add };
}
