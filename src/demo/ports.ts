/** Ports on 127.0.0.1 for the demo's servers (and the test harness's). */
import { createServer } from 'node:net';

/** A TCP port of 127.0.0.1 that was free a moment ago (the caller binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
