/**
 * `cutover mark "TEXT"`: a line in a live session's timeline from a script (a deploy script's own
 * progress, a cron job, a person in another terminal). It goes through the session's socket: the
 * console journals it, and only then does mark exit 0; the sender (name, parent process and its
 * command line) is recorded with it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sessionsDir } from '../journal/paths.js';
import { ask } from '../live/client.js';
import { findLive } from '../live/find.js';
import { MARK_KINDS, socketPath, type MarkKind, type Source } from '../live/protocol.js';
import { cleanMeta, MAX_COMMAND_CHARS, textProblem } from '../live/text.js';
import { operatorName } from './run/operator.js';
import { UsageError, type Io } from './usage.js';

/** The text is refused (empty, too long, control characters): sysexits EX_DATAERR. */
const EX_DATAERR = 65;

export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      kind: { type: 'string', default: 'info' },
      session: { type: 'string' },
      latest: { type: 'boolean' },
      operator: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!MARK_KINDS.includes(values.kind as MarkKind)) throw new UsageError(`--kind is one of ${MARK_KINDS.join(', ')}`);
  if (values.session && values.latest) throw new UsageError('--session and --latest contradict each other');
  if (!positionals.length) throw new UsageError('give the text to mark, in quotes');
  // Words as the shell split them, joined as echo does: `cutover mark deploy started` works too.
  const text = positionals.join(' ');
  const bad = textProblem(text);
  if (bad) {
    io.err(`cutover mark: ${bad}\n`);
    return EX_DATAERR;
  }
  let path: string;
  if (values.session) path = socketPath(values.session);
  else {
    const live = await findLive(sessionsDir(io.env));
    if ('error' in live) {
      io.err(`cutover mark: ${live.error}\n`);
      return 1;
    }
    path = socketPath(live.journal);
  }
  const a = await ask(path, { op: 'mark', kind: values.kind as MarkKind, text, source: sender(values.operator, io.env) });
  if (!a.ok) {
    io.err(`cutover mark: ${a.error}\n`);
    return 1;
  }
  return 0;
}

/** Who marks: the name given, and the process that called mark (the script), with its command line. */
function sender(operator: string | undefined, env: NodeJS.ProcessEnv): Source {
  const pid = process.ppid;
  let command = '';
  try {
    // Linux: the arguments NUL-separated. Elsewhere the command stays unknown: the pid still says which process.
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    command = '';
  }
  return { user: operatorName(operator, env), pid, command: cleanMeta(command, MAX_COMMAND_CHARS) || `pid ${pid}` };
}
