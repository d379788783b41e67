/**
 * The console's metrics endpoint over a live session: bound before the session starts (a port in
 * use stops the command before anything runs), attached once the session exists, closed when it ends.
 */
import type { Session } from '../session/session.js';
import { exposureWarning, type ListenAddress } from './listen.js';
import { listenMetrics, type MetricsServer } from './server.js';
import { sessionSeries, type MetricsSource } from './series.js';

/** A bound metrics endpoint, serving no series until a session is attached. */
export interface ConsoleMetrics {
  /** http://HOST:PORT/metrics, as bound. */
  url: string;
  address: MetricsServer['address'];
  /** One line when the address reaches beyond this machine. */
  warning?: string;
  /** Serves this session's series from now on. */
  attach(session: Session): void;
  /** The journal's status changes (the session's onJournalStatus): a failure counts once. */
  journalStatus(failure: Error | undefined): void;
  /** Stops serving. Idempotent. */
  close(): Promise<void>;
}

/** Binds `a`; rejects with a one-line Error when it cannot. */
export async function openConsoleMetrics(a: ListenAddress): Promise<ConsoleMetrics> {
  let source: MetricsSource | undefined;
  let untap: (() => void) | undefined;
  const series = sessionSeries(() => source);
  const server = await listenMetrics(a, series.registry);
  const warning = exposureWarning(a);
  return {
    url: server.url,
    address: server.address,
    ...(warning ? { warning } : {}),
    attach(session) {
      untap?.();
      source = {
        state: () => session.state,
        now: () => session.now(),
        connections: () => session.connections(),
        notRecording: () => session.store.notRecording,
      };
      untap = session.store.tap((e) => series.event(e));
    },
    journalStatus(failure) {
      if (failure) series.journalFailed();
    },
    close() {
      untap?.();
      return server.close();
    },
  };
}
