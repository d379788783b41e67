/** `--metrics-listen` for run and demo: parsed with the other options, bound before anything runs. */
import type { ConsoleMetrics } from '../../metrics/console.js';
import { parseListen, type ListenAddress } from '../../metrics/listen.js';
import { EX_UNAVAILABLE, UsageError, type Io } from '../usage.js';

/** The option, for parseArgs. */
export const METRICS_OPTION = { 'metrics-listen': { type: 'string' } } as const;

/** Parses the flag's value (undefined when absent); a bad one is a usage error. */
export function metricsAddress(text: string | undefined): ListenAddress | undefined {
  if (text === undefined) return undefined;
  try {
    return parseListen(text);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Binds the endpoint and says where it is (and the warning, beyond loopback) on stderr. When it
 * cannot bind, prints one line and returns the exit code: nothing has run yet.
 */
export async function openMetrics(
  a: ListenAddress | undefined,
  io: Io,
  command: string,
): Promise<{ metrics?: ConsoleMetrics } | { code: number }> {
  if (!a) return {};
  // prom-client is loaded only when the flag asks for it: `cutover run` without it starts as before.
  const { openConsoleMetrics } = await import('../../metrics/console.js');
  try {
    const metrics = await openConsoleMetrics(a);
    if (metrics.warning) io.err(`cutover ${command}: warning: ${metrics.warning}\n`);
    io.err(`cutover ${command}: metrics at ${metrics.url}\n`);
    return { metrics };
  } catch (e) {
    io.err(`cutover ${command}: ${(e as Error).message}; nothing was run\n`);
    return { code: EX_UNAVAILABLE };
  }
}
