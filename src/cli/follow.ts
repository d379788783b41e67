/**
 * `cutover follow [JOURNAL | --latest] [--approve] [--operator NAME]`: a live session, read-only,
 * from another terminal of the same machine or over SSH, by tailing its journal. On a terminal:
 * the console, following the journal's end, until q (a session that ends says so and stays).
 * Without one: the story as plain lines as it is told, until the session ends (exit 0). Lines
 * not taken as fact, and a broken hash chain, go to stderr (FILE:LINE). Exit 1 when the journal
 * cannot be followed at all.
 */
import { parseArgs } from 'node:util';
import { sanitizeLine } from '../core/controls.js';
import { SEVERITY_MARK } from '../core/select-timeline.js';
import { sessionsDir } from '../journal/paths.js';
import { CannotFollow, latestJournal, openFollow } from '../live/follow-open.js';
import { Follower } from '../live/follow-tail.js';
import { problemText } from '../replay/banner.js';
import { colorEnabled } from '../ui/theme.js';
import { UsageError, type Io } from './usage.js';

/** Parses the options, finds and opens the journal, and follows it. */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { latest: { type: 'boolean' }, approve: { type: 'boolean' }, operator: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) throw new UsageError('name one journal file');
  if (values.latest && positionals.length) throw new UsageError('name a journal or give --latest, not both');
  if (!values.latest && !positionals.length) throw new UsageError('name a journal file, or give --latest for the newest session');
  const tty = io.isTTY && Boolean(process.stdin.isTTY);
  if (values.approve && !tty) throw new UsageError('--approve needs a terminal (the approval keys ask to confirm)');
  if (values.operator !== undefined && !values.approve) throw new UsageError('--operator names who approves: give it with --approve');
  let path: string;
  let follower: Follower;
  try {
    path = values.latest ? await latestJournal(sessionsDir(io.env)) : positionals[0];
    follower = new Follower(await openFollow(path));
  } catch (e) {
    if (!(e instanceof CannotFollow)) throw e;
    io.err(`cutover follow: ${e.message}\n`);
    return 1;
  }
  try {
    if (tty) {
      const { followTty } = await import('./follow/tty.js');
      await followTty(follower, {
        path,
        color: colorEnabled(io.env),
        ...(values.approve ? { approveAs: await approverName(values.operator, io.env) } : {}),
      });
      printProblems(follower, path, { problems: 0, chain: false }, io);
      return 0;
    }
    return await printFollow(follower, path, io);
  } finally {
    follower.stop();
    follower.index.close();
  }
}

/** The approver's name: --operator, else $USER (run's own rule). */
async function approverName(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const { operatorName } = await import('./run/operator.js');
  return operatorName(flag, env);
}

/** Without a terminal: the story's lines as they are told, problems to stderr, until the session ends (0) or a signal (128+n). */
async function printFollow(f: Follower, path: string, io: Io): Promise<number> {
  let lines = 0;
  const told = { problems: 0, chain: false };
  const flush = () => {
    // The problems first: a broken chain is told before the lines read with it (the edited one among them).
    printProblems(f, path, told, io);
    const story = f.index.story;
    for (; lines < story.length; lines++) {
      const l = story.get(lines);
      io.out(`${l.clock} ${l.elapsed} ${SEVERITY_MARK[l.severity]} ${sanitizeLine(l.text)}\n`);
    }
  };
  return new Promise<number>((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
    const done = (code: number) => {
      unsubscribe();
      for (const s of signals) process.off(s, onSignal);
      flush();
      resolve(code);
    };
    const onSignal = (s: NodeJS.Signals) => done(codes[s]);
    for (const s of signals) process.on(s, onSignal);
    const unsubscribe = f.subscribe(() => {
      flush();
      if (f.ended && f.caughtUp) done(0);
      else if (f.index.halted) {
        io.err(`cutover follow: ${f.index.halted}\n`);
        done(1);
      }
    });
    f.start();
  });
}

/** The problems not told yet, to stderr: the chain's first break, and lines not taken as fact; `told` says how far it got. */
function printProblems(f: Follower, path: string, told: { problems: number; chain: boolean }, io: Io): void {
  if (!told.chain && f.index.chainProblem) {
    io.err(`cutover follow: ${path}: NOT INTACT: ${f.index.chainProblem}\n`);
    told.chain = true;
  }
  const ps = f.index.problems;
  for (; told.problems < ps.length; told.problems++) io.err(`${problemText(path, ps[told.problems])}\n`);
}
