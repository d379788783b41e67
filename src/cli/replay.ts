/** `cutover replay JOURNAL`: the console, read-only, from a journal (the timeline as plain lines without a terminal). */
import { parseArgs } from 'node:util';
import { SEVERITY_MARK, timelineLine } from '../core/select-timeline.js';
import { MAX_SPEED, MIN_SPEED, parseOffset } from '../replay/clock.js';
import { capHeapGrowth } from '../replay/heap.js';
import { openReplay, UnreadableJournal } from '../replay/open.js';
import type { Player } from '../replay/player.js';
import { sanitizeLine } from '../core/controls.js';
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
    } else await printReplay(player, startAt, io, values.events ?? false);
  } finally {
    player.index.close();
  }
  for (const p of player.index.problems) io.err(`${path}:${p.line}: ${p.message}; skipped\n`);
  const gap = player.index.seqGap;
  if (gap)
    io.err(
      `${path}:${gap.line}: seq ${gap.got} where ${gap.expected} was expected; lines are missing or out of place ('cutover verify ${path}' tells more)\n`,
    );
  return 0;
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
