/** After a session ends: were all its events recorded? If not, the rest goes to a fallback file and the exit code says so. */
import { fallbackDirs, writeFallback } from '../../journal/fallback.js';
import type { JournalWriter } from '../../journal/writer.js';
import type { SessionEvent } from '../../core/events.js';

/** sysexits EX_IOERR: the session ran, but its journal is incomplete (see the fallback file). */
export const EX_INCOMPLETE = 74;

/** What the operator must be told about the record, and the exit code that overrides the outcome's (if any). */
export interface RecordVerdict {
  /** Lines to print after the console has left the screen. */
  message: string;
  code?: number;
}

/** Checks the closed journal; writes what it could not hold to a fallback file (or into the message when no directory takes it). */
export function recordVerdict(journal: JournalWriter<SessionEvent>, env: NodeJS.ProcessEnv = process.env): RecordVerdict {
  const lost = journal.unwritten();
  if (!lost.length) return { message: '' };
  const n = lost.toString('utf8').split('\n').filter(Boolean).length;
  const what = `cutover: the journal ${journal.path} is INCOMPLETE: ${n} event${n === 1 ? '' : 's'} could not be written to it`;
  const fb = writeFallback(journal.path, lost, fallbackDirs(journal.path, env));
  if (!('tried' in fb))
    return {
      code: EX_INCOMPLETE,
      message: `${what}; they are in ${fb.path} (0600). Once there is room: cat ${fb.path} >> ${journal.path} && cutover verify ${journal.path}\n`,
    };
  return {
    code: EX_INCOMPLETE,
    message: `${what}, and no directory took a fallback file (tried ${fb.tried.join(', ')}); here they are, one JSON line each:\n${lost.toString('utf8')}`,
  };
}
