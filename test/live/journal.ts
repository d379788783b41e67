/** A live journal for follower tests: the real JournalWriter, events stamped now, on a fixture runbook. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { JournalWriter } from '../../src/journal/index.js';
import type { Runbook } from '../../src/runbook/index.js';
import { runbook } from '../core/fixtures.js';

const writers: JournalWriter<SessionEvent>[] = [];
const dirs: string[] = [];
// Writers closed before their directory goes: the head anchor is written after the lines, and would race the removal.
afterEach(async () => {
  for (const w of writers.splice(0)) await w.close().catch(() => {});
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory, removed after the test (once its journals are closed). */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cutover-follow-'));
  dirs.push(d);
  return d;
}

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
  writers.push(writer);
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
