/**
 * Snapshots for seeking, kept small. Nearly all of a state's weight is the output tails (200
 * lines each) of the commands still running, and two snapshots far apart share none of those
 * lines, so a snapshot stores them compressed; a command that did not change since the last
 * snapshot shares the compressed tail already made. Unpacking gives back an equal state.
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import type { CommandState, SessionState } from '../core/state.js';

/** Tails shorter than this stay as they are: compressing them saves nothing. */
const MIN_LINES = 16;

interface PackedTail {
  /** The tail's lines joined by newlines (no line holds one), UTF-16 so any string comes back the same, deflated. */
  data: Uint8Array;
  stripped: CommandState;
}

/** A state reached after the first `index` events, with its long tails compressed. */
export interface Snapshot {
  index: number;
  state: SessionState;
  tails?: Map<string, PackedTail>;
}

/** Packs states one after another, reusing the packed tails of commands that did not change. */
export class Packer {
  private readonly known = new WeakMap<CommandState, PackedTail>();

  /** The snapshot of `state` after `index` events. */
  pack(index: number, state: SessionState): Snapshot {
    let commands: Record<string, CommandState> | undefined;
    const tails = new Map<string, PackedTail>();
    for (const [id, c] of Object.entries(state.commands)) {
      // A finished command's tail never changes again: the same object is in every later state
      // (the frontier holds it anyway), so compressing it saves nothing and unpacking it costs.
      if (c.tail.length < MIN_LINES || c.endedAt !== undefined) continue;
      let p = this.known.get(c);
      if (!p) {
        // A copy: zlib's result is a view into a buffer several times its size, and it would keep all of it.
        const data = new Uint8Array(deflateRawSync(Buffer.from(c.tail.join('\n'), 'utf16le'), { level: constants.Z_BEST_SPEED }));
        p = { data, stripped: { ...c, tail: [] } };
        this.known.set(c, p);
      }
      (commands ??= { ...state.commands })[id] = p.stripped;
      tails.set(id, p);
    }
    return commands ? { index, state: { ...state, commands }, tails } : { index, state };
  }
}

/** The full state of a snapshot. */
export function unpack(s: Snapshot): SessionState {
  if (!s.tails?.size) return s.state;
  const commands = { ...s.state.commands };
  for (const [id, p] of s.tails) commands[id] = { ...p.stripped, tail: inflateRawSync(p.data).toString('utf16le').split('\n') };
  return { ...s.state, commands };
}
