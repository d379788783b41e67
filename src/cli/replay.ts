/**
 * `cutover replay JOURNAL`: the console, read-only, from a journal (the timeline as plain lines
 * without a terminal). Exit 0 when the journal was shown, even when it is not intact or has lines
 * not taken as fact (the console's warning line and stderr say so: replay is for looking; `cutover
 * verify` and `cutover report` give the verdict a script acts on); 1 when it cannot be read at all.
 */
import { parseArgs } from 'node:util';
import { SEVERITY_MARK, timelineLine } from '../core/select-timeline.js';
import { MAX_SPEED, MIN_SPEED, parseOffset } from '../replay/clock.js';
import { capHeapGrowth } from '../replay/heap.js';
import { openReplay, UnreadableJournal } from '../replay/open.js';
import type { Player } from '../replay/player.js';
import { sanitizeLine } from '../core/controls.js';
import { problemText } from '../replay/banner.js';
import { colorEnabled } from '../ui/theme.js';
import { UsageError, type Io } from './usage.js';

/** Parses the options, opens the journal, and shows it (console on a terminal, lines otherwise); problems go to stderr. */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { speed: { type: 'string' }, 'start-at': { type: 'string' }, 'skip-idle': { type: 'boolean' }, events: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('name exactly one journal file');
  const speed = values.speed === undefined ? 1 : Number(values.speed.replace(/x$/, ''));
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED)
    throw new UsageError(`--speed ${values.speed} is not a speed from ${MIN_SPEED} to ${MAX_SPEED} (like 2 or 0.5)`);
  const startAt = values['start-at'] === undefined ? 0 : parseOffset(values['start-at']);
  if (startAt === undefined) throw new UsageError(`--start-at ${values['start-at']} is not a session time; write it like T+05:30`);
  const path = positionals[0];
  const tty = io.isTTY && Boolean(process.stdin.isTTY);
  capHeapGrowth();
  let player: Player;
  try {
    player = await openReplay(path, { speed, startAt, skipIdle: values['skip-idle'] ?? false });
  } catch (e) {
    if (!(e instanceof UnreadableJournal)) throw e;
    io.err(`cutover replay: ${e.message}\n`);
    return 1;
  }
  try {
    if (tty) {
      const { replayTty } = await import('./replay/tty.js');
      await replayTty(player, { path, color: colorEnabled(io.env) });
      // After the console: what it warned about, where a terminal's scrollback keeps it.
      printProblems(player, path, io);
    } else {
      // The verdict first, then the story: a reader of the output learns at the top what not to trust.
      await Promise.all([player.index.run(), player.integrity?.done]);
      printProblems(player, path, io);
      await printReplay(player, startAt, io, values.events ?? false);
    }
  } finally {
    player.integrity?.stop();
    player.index.close();
  }
  return 0;
}

/** The integrity verdict when it is not intact (or could not be had), and each line not taken as fact, to stderr. */
function printProblems(player: Player, path: string, io: Io): void {
  const w = player.integrity;
  if (w?.integrity && !w.integrity.intact) {
    io.err(`cutover replay: ${path}: NOT INTACT ('cutover verify ${path}' tells more)\n`);
    for (const p of w.integrity.problems) io.err(`${p}\n`);
    for (const n of w.integrity.notes) io.err(`note: ${n}\n`);
  } else if (w?.error !== undefined && w.error !== 'stopped') io.err(`cutover replay: ${path}: integrity not checked: ${w.error}\n`);
  for (const p of player.index.problems) io.err(`${problemText(path, p)}\n`);
}

/**
 * Without a terminal: from the start position on, as plain lines, as fast as they read: the story
 * the timeline pane tells (each line marked as the pane marks it), or with `events` every event.
 */
async function printReplay(player: Player, startAt: number, io: Io, events: boolean): Promise<void> {
  await player.index.run();
  const ix = player.index;
  const start = player.start;
  const from = ix.times.lowerBound(start + startAt, ix.count);
  if (!events) {
    for (let k = ix.story.before(from); k < ix.story.length; k++) {
      const l = ix.story.get(k);
      io.out(`${l.clock} ${l.elapsed} ${SEVERITY_MARK[l.severity]} ${sanitizeLine(l.text)}\n`);
    }
    return;
  }
  for (let i = from; i < ix.count; i += 1000) {
    for (const e of player.reader.read(i, Math.min(ix.count, i + 1000))) {
      const l = timelineLine(e, start);
      io.out(`${l.clock} ${l.elapsed} ${sanitizeLine(l.text)}\n`);
    }
  }
}
