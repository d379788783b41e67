/** A script's line for the timeline (`cutover mark`, through the live socket), journaled by the console like a note. */
import type { EventSource, MarkAdded } from '../core/events.js';
import type { Session } from './session.js';

/**
 * Journals a mark; resolves with its seq once it is on disk, or why it is not: refused (the session
 * ended or is ending), not recorded, or recorded only in memory while the journal cannot write.
 */
export async function addMark(
  session: Session,
  kind: MarkAdded['kind'],
  text: string,
  source: EventSource,
): Promise<{ seq: number } | { error: string }> {
  const refused = session.refusal({ kind: 'note', text });
  if (refused) return { error: refused };
  const seq = session.store.nextSeq();
  try {
    await session.emit({ type: 'mark/added', t: session.now(), kind, text, source });
  } catch (e) {
    return { error: `the console could not record the mark: ${(e as Error).message}` };
  }
  const down = session.store.notRecording;
  return down === undefined ? { seq } : { error: `the console is NOT RECORDING (${down}): the mark is shown, not on disk yet` };
}
