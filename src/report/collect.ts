/**
 * Reads a journal once, start to end, folding it with the same reducer as the console: what the
 * report needs of the moments that matter (gates, triggers, rollbacks: the health at each) is
 * taken as it passes; the rest comes from the final state. Untrusted lines go through the same
 * checks as replay's (replay/admit.ts): malformed or impossible ones are skipped and listed.
 */
import type {
  GateDecided,
  JudgeDecided,
  JudgeVerdict,
  SessionEvent,
  SessionResumed,
  SessionStarted,
  TriggerFiring,
} from '../core/events.js';
import { selectHealth } from '../core/select-health.js';
import { StoryIndex } from '../core/story.js';
import { initialState, type SessionState } from '../core/state.js';
import fs from 'node:fs';
import { Folder } from '../replay/fold.js';
import { LineReader, type ReaderLine } from '../journal/line-reader.js';
import { decisionKind, type LineProblem } from '../replay/lines.js';
import { admit } from '../replay/admit.js';
import { Plausibility, type JudgeOptions } from '../replay/plausible.js';
import { sanitizeLine } from '../core/controls.js';
import type { HealthValue } from './types.js';

/** What one pass over a journal gathers. */
export interface Collected {
  started?: SessionStarted;
  final: SessionState;
  events: number;
  lastT: number;
  gates: GateDecided[];
  resumes: SessionResumed[];
  /** Every failure of each step, in order (the state keeps only the latest attempt). */
  failures: Map<string, string[]>;
  firings: TriggerFiring[];
  /** Judgments whose verdict changed, and the operator's decisions on them, in order. */
  judgments: (JudgeVerdict | JudgeDecided)[];
  /** Each decision with the health panels as they stood right after it. */
  decisions: { t: number; what: string; health: HealthValue[] }[];
  /** Lines not taken as fact: skipped (malformed, impossible), or folded and flagged (a seq gap). */
  problems: LineProblem[];
  /** The story of the session: the console's timeline, told by the same selection. */
  story: StoryIndex;
}

/** Reads and folds the journal at `path` (`o.now`: the reader's clock, for tests). Throws (ENOENT and the like) when it cannot be read at all. */
export async function collect(path: string, o: JudgeOptions = {}): Promise<Collected> {
  const c: Collected = {
    final: initialState(),
    events: 0,
    lastT: 0,
    gates: [],
    resumes: [],
    failures: new Map(),
    firings: [],
    judgments: [],
    decisions: [],
    problems: [],
    story: new StoryIndex(),
  };
  const folder = new Folder(c.final);
  const judge = new Plausibility(o);
  const fh = await fs.promises.open(path, 'r');
  try {
    // The replay's line reader: a line past its limit is skipped and reported, never made into a string.
    const lines = new LineReader(fh.fd, (await fh.stat()).size);
    const raw: ReaderLine = { text: '', line: 0, start: 0, end: 0, terminated: false };
    while (lines.next(raw)) add(c, folder, judge, raw);
  } finally {
    await fh.close();
  }
  c.final = folder.state();
  return c;
}

function add(c: Collected, folder: Folder, judge: Plausibility, raw: ReaderLine): void {
  const r = admit(raw, judge, folder, c.problems);
  if (!r) return;
  c.story.add(r.event, c.events);
  c.events++;
  c.lastT = Math.max(c.lastT, r.event.t);
  note(c, r.event, folder);
}

function note(c: Collected, e: SessionEvent, folder: Folder): void {
  if (e.type === 'session/started' && !c.started) c.started = e;
  if (e.type === 'gate/decided') c.gates.push(e);
  if (e.type === 'session/resumed') c.resumes.push(e);
  if (e.type === 'step/failed') c.failures.set(e.step, [...(c.failures.get(e.step) ?? []), sanitizeLine(e.error)]);
  if (e.type === 'trigger/firing') c.firings.push(e);
  if (e.type === 'judge/decided') c.judgments.push(e);
  if (e.type === 'judge/verdict' && c.judgments.findLast((j) => j.type === 'judge/verdict')?.verdict !== e.verdict) c.judgments.push(e);
  if (decisionKind(e.type)) {
    const state = folder.state();
    // Every decision is a line of the story, just told: the report says it as the timeline did.
    const told = c.story.get(c.story.length - 1);
    c.decisions.push({ t: e.t, what: sanitizeLine(told.text), health: healthAt(state, e.t) });
  }
}

/** The health panels as the console showed them at `t`. */
export function healthAt(state: SessionState, t: number): HealthValue[] {
  return selectHealth(state, t).map((r) => {
    // A stale panel still had a last value on screen; the reader wants it, and how old it was.
    const shown = r.status === 'stale' && r.series[0] ? `${r.series[0].text} (${r.detail})` : r.text;
    // A judged panel: its class and figures beside the value.
    const value = r.judged ? `${shown}; judge ${r.judged.text}` : shown;
    return { panel: r.id, title: sanitizeLine(r.title), value: sanitizeLine(value), status: r.status };
  });
}
