/** A worker thread that checks a journal's integrity (integrity-watch.ts starts it): hashing a million lines takes seconds, off the console's thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { checkIntegrity } from '../journal/integrity.js';

const { path } = workerData as { path: string };
checkIntegrity(path).then(
  (integrity) => parentPort?.postMessage({ integrity }),
  (err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }),
);
