/** The console model of a replay: read-only, on the player's virtual clock, with transport keys and a progress line. */
import type { ConsoleModel, EventList } from '../ui/model.js';
import { transportBindings } from './bindings.js';
import type { Player } from './player.js';
import { progressLine, type ProgressView } from './progress.js';
import { bannerLine, type BannerView } from './banner.js';

/** What the replay console shows besides the journal: its path, colour, and what quitting does. */
export interface ReplayModelOptions {
  journalPath: string;
  color: boolean;
  onQuit(): void;
}

/** A model over a player. It has no session, so nothing can be executed whatever the journal holds. */
export function replayModel(player: Player, o: ReplayModelOptions): ConsoleModel & { player: Player } {
  let list: EventList | undefined;
  return {
    player,
    readOnly: true,
    getState: () => player.state,
    tails: () => player.tails,
    // The timeline sees the events up to the position, and their story; a new view only when the position moves.
    events: () => (list?.length === player.position ? list : (list = positionView(player))),
    subscribe: (fn) => player.subscribe(fn),
    frameVersion: () => player.version,
    now: () => player.now(),
    connections: () => 0,
    journalPath: o.journalPath,
    extraBindings: () => transportBindings(player),
    extraStatus: (width) => progressLine(progressView(player), width, o.color),
    banner: (width) => bannerLine(bannerView(player, o.journalPath), width, o.color),
    onQuit: o.onQuit,
  };
}

/** The events up to the player's position, and the story of those events: the index tells the whole journal as it reads it. */
export function positionView(p: Player): EventList {
  const n = p.position;
  const story = p.index.story;
  const lines = story.before(n);
  return {
    length: n,
    get: (i) => p.reader.get(i),
    story: {
      length: lines,
      get: (k) => story.get(k),
      before: (m) => Math.min(lines, story.before(m)),
      text: (k) => story.text(k),
      kind: (k) => story.kind(k),
    },
  };
}

/** What the progress line needs, read from the player and its index. */
export function progressView(p: Player): ProgressView {
  const ix = p.index;
  const decisions: ProgressView['decisions'] = [];
  for (let i = 0; i < ix.decisions.length; i++) decisions.push({ t: ix.times.at(ix.decisions.at(i)), kind: ix.decisionKinds.at(i) });
  return {
    playing: p.clock.playing,
    atEnd: p.atEnd(),
    speed: p.clock.speed,
    skipIdle: p.skipIdle,
    now: p.now(),
    start: p.start,
    end: p.end,
    indexedUntil: ix.count ? ix.times.at(ix.count - 1) : p.start,
    done: ix.done,
    indexed: ix.size ? ix.bytes / ix.size : 1,
    decisions,
    position: p.position,
    count: ix.count,
    integrity: integrityState(p),
    ...(p.message ? { message: p.message } : {}),
  };
}

/** Where the integrity check stands, in a word for the progress line. */
function integrityState(p: Player): ProgressView['integrity'] {
  const w = p.integrity;
  if (!w) return 'unchecked';
  if (!w.known) return 'checking';
  return w.integrity ? (w.integrity.intact ? 'intact' : 'not intact') : 'unchecked';
}

/** What the warning line needs, read from the player: the integrity verdict and the lines not taken as fact. */
export function bannerView(p: Player, path: string): BannerView {
  const w = p.integrity;
  return {
    path,
    problems: p.index.problems,
    ...(w?.integrity ? { integrity: w.integrity } : {}),
    ...(w?.error !== undefined ? { error: w.error } : {}),
  };
}
