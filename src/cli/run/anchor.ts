/**
 * The end of a session's record, after the journal is closed: says if the head anchor could not be
 * written, then signs the head with the operator's SSH key. Nothing here changes the exit code or
 * touches the journal: a signature that cannot be made is one line on stderr.
 */
import type { SessionEvent } from '../../core/events.js';
import { signJournal, type SignOptions } from '../../journal/sign.js';
import type { JournalWriter } from '../../journal/writer.js';
import type { Io } from '../usage.js';

/** `--no-sign` (false) or where the key comes from. */
export type SignChoice = false | Omit<SignOptions, 'env'>;

/** Reports a head that could not be written, else signs it (unless `sign` is false). */
export async function sealJournal(journal: JournalWriter<SessionEvent>, sign: SignChoice, io: Io): Promise<void> {
  if (journal.headFailure) {
    io.err(`cutover: ${journal.headFailure.message}; the journal was not signed\n`);
    return;
  }
  if (sign === false) return;
  const r = await signJournal(journal.path, { ...sign, env: io.env });
  if ('signed' in r) io.err(`cutover: journal signed with ${r.signed.key} (${r.signed.via}): ${r.signed.sig}\n`);
  else if ('failed' in r) io.err(`cutover: the journal was not signed: ${r.failed}\n`);
}
