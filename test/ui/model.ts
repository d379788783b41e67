/** Console models for UI tests: a fixed list of events (read-only), or a live Session. */
import type { SessionEvent } from '../../src/core/index.js';
import { EventStore } from '../../src/session/store.js';
import type { ConsoleModel } from '../../src/ui/model.js';

/** A read-only model over events, with a controllable clock. */
export function staticModel(events: SessionEvent[], now: number, readOnly = true): ConsoleModel & { store: EventStore; quit: number } {
  const store = new EventStore(undefined, 0);
  store.load(events);
  const list = store.events();
  const tails = store.outputTails();
  const m = {
    readOnly,
    store,
    quit: 0,
    getState: () => store.getState(),
    events: () => list,
    tails: () => tails,
    subscribe: (fn: () => void) => store.subscribe(fn),
    now: () => now,
    connections: () => 0,
    onQuit: () => void m.quit++,
  };
  return m;
}
