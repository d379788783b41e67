/**
 * Snapshots for seeking, kept small. A snapshot is the state (immutable: it shares everything
 * with the states before and after it) and a copy of the output tails buffer, which is mutable and
 * nearly all of the weight: 200 lines per command. Two snapshots far apart share none of a running
 * command's lines, so a tail is stored compressed; a tail that did not change since the last
 * snapshot (a finished command's) shares the compressed copy already made. Unpacking gives back
 * an equal state and an equal buffer.
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import type { OutputTails, Tail, TailRecord, TailsRecord } from '../core/output-tails.js';
import type { SessionState } from '../core/state.js';

/** Tails shorter than this (in characters) stay as they are: compressing them saves nothing. */
const MIN_CHARS = 1024;

/** One tail as a snapshot keeps it: its chunks (compressed when long), without its finished flag (that changes without new output). */
interface PackedTail {
  /** The chunks joined, UTF-16 so any string comes back the same, deflated; `sizes` cuts them apart again. */
  data?: Uint8Array;
  sizes?: number[];
  chunks?: string[];
  partial: boolean;
  lineCount: number;
  bytes: number;
}

/** A state reached after the first `index` events, and the output tails there. */
export interface Snapshot {
  index: number;
  state: SessionState;
  tails?: { entries: [string, PackedTail, boolean][]; finishedOrder: string[]; started: boolean };
}

/** Packs snapshots one after another, reusing the packed tails of commands that did not change. */
export class Packer {
  private readonly known = new WeakMap<Tail, { version: number; packed: PackedTail }>();

  /** The snapshot of `state` (and of `tails`, when given) after `index` events. */
  pack(index: number, state: SessionState, tails?: OutputTails): Snapshot {
    if (!tails) return { index, state };
    const entries: [string, PackedTail, boolean][] = [];
    for (const [id, t] of tails.entries()) entries.push([id, this.packTail(t), t.finished]);
    return { index, state, tails: { entries, finishedOrder: tails.finishedOrder(), started: tails.started } };
  }

  private packTail(t: Tail): PackedTail {
    const seen = this.known.get(t);
    if (seen?.version === t.version) return seen.packed;
    const r = t.record();
    const packed: PackedTail = { partial: r.partial, lineCount: r.lineCount, bytes: r.bytes };
    if (t.chars >= MIN_CHARS) {
      // A copy: zlib's result is a view into a buffer several times its size, and it would keep all of it.
      packed.data = new Uint8Array(deflateRawSync(Buffer.from(r.chunks.join(''), 'utf16le'), { level: constants.Z_BEST_SPEED }));
      packed.sizes = r.chunks.map((c) => c.length);
    } else packed.chunks = r.chunks;
    this.known.set(t, { version: t.version, packed });
    return packed;
  }
}

/** The state of a snapshot. */
export function unpack(s: Snapshot): SessionState {
  return s.state;
}

/** The tails of a snapshot, as a plain record (restore it into a buffer with `OutputTails.restore`). */
export function unpackTails(s: Snapshot): { record: TailsRecord; started: boolean } {
  if (!s.tails) return { record: { tails: [], finishedOrder: [] }, started: s.state.session !== undefined };
  const tails: [string, TailRecord][] = s.tails.entries.map(([id, p, finished]) => [
    id,
    {
      chunks: p.data ? cut(inflateRawSync(p.data).toString('utf16le'), p.sizes!) : p.chunks!,
      partial: p.partial,
      lineCount: p.lineCount,
      bytes: p.bytes,
      finished,
    },
  ]);
  return { record: { tails, finishedOrder: s.tails.finishedOrder }, started: s.tails.started };
}

/** `text` cut into pieces of the given lengths. */
function cut(text: string, sizes: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) out.push(text.slice(at, (at += n)));
  return out;
}
