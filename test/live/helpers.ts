/** A live session with its socket, on a small runbook whose gate and one rollback level need two people. */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter, readJournal } from '../../src/journal/index.js';
import { loadRunbookText } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { Session } from '../../src/session/session.js';
import { startLive } from '../../src/cli/run/live.js';
import type { LiveServer, LiveServerOptions } from '../../src/live/server.js';
import type { Source } from '../../src/live/protocol.js';
import { tempDir } from '../journal/helpers.js';
import { instantExecutors } from '../ui/live.js';

/** Two phases, the first gated with approvals: 2; rollback level `undo` needs two people, `quick` one. */
export const TWO_PEOPLE = `name: two people
phases:
  - id: one
    title: First
    steps:
      - { id: a, title: Step A, local: { command: [echo, a] } }
    gate: { title: Carry on?, approvals: 2 }
  - id: two
    title: Second
    steps:
      - { id: b, title: Step B, local: { command: [echo, b] } }
rollback:
  levels:
    - id: undo
      title: Undo with a restore
      approvals: 2
      steps:
        - { id: u, title: Restore, local: { command: [echo, u] } }
    - id: quick
      title: Quick way back
      steps:
        - { id: q, title: Flip, local: { command: [echo, q] } }
`;

/** The runbook of `text`, or a thrown list of its problems. */
export function runbookOf(text: string): Runbook {
  const r = loadRunbookText('rb.yaml', text, null);
  if (!r.runbook) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.runbook;
}

/** A started session (operator alice) journaling in a fresh 0700 directory, with its live socket listening. */
export async function liveSession(
  o: LiveServerOptions = {},
  text = TWO_PEOPLE,
): Promise<{
  session: Session;
  journal: string;
  server: LiveServer;
  events: () => SessionEvent[];
}> {
  const dir = tempDir();
  chmodSync(dir, 0o700);
  const journal = join(dir, 'j.jsonl');
  const writer = await JournalWriter.create<SessionEvent>(journal);
  const session = new Session({
    runbook: runbookOf(text),
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'alice',
    mode: 'live',
    version: 't',
    journal: writer,
    executors: instantExecutors(),
    publishMs: 1,
  });
  await session.start();
  const live = await startLive(session, journal, o);
  if ('error' in live) throw new Error(live.error);
  return { session, journal, server: live.server, events: () => readJournal<SessionEvent>(journal).entries.map((e) => e.event) };
}

/** A sender as a script would give it. */
export const SOURCE: Source = { user: 'bob', pid: 4242, command: 'bash ./approve.sh' };
