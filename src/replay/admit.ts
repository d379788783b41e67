/**
 * One journal line on its way to being a fact: shape (lines.ts, validate.ts), sense (plausible.ts),
 * then the reducer. Replay's indexer and the report's pass both read lines through here, so a
 * line the one refuses the other refuses too, with the same `FILE:LINE` message.
 */
import { MAX_LINE_BYTES, type ReaderLine } from '../journal/line-reader.js';
import type { SessionEvent } from '../core/events.js';
import type { Folder } from './fold.js';
import { checkLine, type LineProblem } from './lines.js';
import type { Plausibility } from './plausible.js';

/** A line that made it into the fold: its event and seq (the parse's own object: nothing more is allocated). */
export interface Admitted {
  event: SessionEvent;
  seq: number;
}

/** Checks `raw` and folds its event; returns it when folded, else undefined. Problems (a torn last line is none) go to `problems`. */
export function admit(raw: ReaderLine, judge: Plausibility, folder: Folder, problems: LineProblem[]): Admitted | undefined {
  if (raw.tooLong) {
    problems.push({ line: raw.line, message: `longer than ${MAX_LINE_BYTES / (1024 * 1024)} MB` });
    return undefined;
  }
  const r = checkLine(raw);
  if (r === 'torn') return undefined;
  if ('problem' in r) {
    problems.push(r.problem);
    if (r.seq !== undefined) judge.seen(r.seq);
    return undefined;
  }
  if (!judge.judge(r.event, r.seq, raw.line, problems)) return undefined;
  try {
    folder.add(r.event);
  } catch (err) {
    problems.push({ line: raw.line, message: `${r.event.type} cannot be applied (${(err as Error).message})` });
    return undefined;
  }
  judge.folded(r.event, raw.line);
  return r;
}
