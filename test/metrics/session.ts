/** A live session on the blue-green fixture with its metrics endpoint attached, as `cutover run` wires it. */
import type { SessionEvent } from '../../src/core/index.js';
import type { JournalWriter } from '../../src/journal/index.js';
import { openConsoleMetrics, type ConsoleMetrics } from '../../src/metrics/console.js';
import type { Executors } from '../../src/session/executors.js';
import { Session } from '../../src/session/session.js';
import { runbook } from '../core/fixtures.js';
import { instantExecutors } from '../ui/live.js';
import { scrape, type Sample } from './scrape.js';

/** Instant executors whose rollback commands wait for `release()`, and whose connection count the test sets. */
export function holdingExecutors(): Executors & { release(): void; conns: number } {
  const base = instantExecutors();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const x: Executors & { release(): void; conns: number } = {
    ...base,
    conns: 0,
    release: () => release(),
    async remote(req) {
      if (req.level) await held;
      return base.remote(req);
    },
    connections: () => x.conns,
  };
  return x;
}

/** The session, its endpoint (127.0.0.1, a free port), a scrape, and the stop of both. */
export interface LiveMetrics {
  s: Session;
  m: ConsoleMetrics;
  get(): Promise<Sample[]>;
  stop(): Promise<void>;
}

/** Starts the session and attaches its metrics; the journal's failures reach them as run.ts passes them. */
export async function liveWithMetrics(exec: Executors, journal?: JournalWriter<SessionEvent>): Promise<LiveMetrics> {
  const m = await openConsoleMetrics({ host: '127.0.0.1', port: 0, scope: 'loopback' });
  const s = new Session({
    runbook: runbook(),
    runbookPath: 'rb.yaml',
    runbookSha256: '',
    operator: 'alice',
    mode: 'live',
    version: 't',
    executors: exec,
    publishMs: 5,
    onJournalStatus: (f) => m.journalStatus(f),
    ...(journal ? { journal } : {}),
  });
  await s.start();
  m.attach(s);
  return {
    s,
    m,
    get: () => scrape(m.url),
    async stop() {
      await s.end();
      await m.close();
    },
  };
}
