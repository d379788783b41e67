/** A process of its own that checks a journal's integrity for a replay (integrity-watch.ts starts it) and prints the verdict as JSON. */
import { checkIntegrity } from '../journal/integrity.js';

const path = process.argv[2];
checkIntegrity(path).then(
  (integrity) => process.stdout.write(`${JSON.stringify({ integrity })}\n`),
  (err: unknown) => process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`),
);
