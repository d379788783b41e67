/** `cutover demo`: the console on a simulated fleet, cleaned up whichever way it ends. */
import { parseArgs } from 'node:util';
import { Cleanup, DEFAULT_TIME_SCALE, DemoRunbookError, SCENARIOS, startDemo, type MetricsChoice, type Scenario } from '../demo/index.js';
import { demoHint } from '../demo/hint.js';
import { formatProblem } from '../runbook/problem.js';
import { EX_DATAERR, layoutLoads, runConsole } from './run.js';
import { operatorName } from './run/operator.js';
import { METRICS_OPTION, metricsAddress, openMetrics } from './run/metrics.js';
import { UsageError, type Io } from './usage.js';

const METRICS: MetricsChoice[] = ['auto', 'prometheus', 'simulated'];

/** `cutover demo [options]`: starts the fleet, runs the console on it, cleans up; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      runbook: { type: 'string', short: 'f' },
      scenario: { type: 'string', default: 'degrade' },
      'time-scale': { type: 'string', default: String(DEFAULT_TIME_SCALE) },
      metrics: { type: 'string', default: 'auto' },
      operator: { type: 'string' },
      layout: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      ...METRICS_OPTION,
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (a runbook goes after --runbook)`);
  const scenario = values.scenario as Scenario;
  if (!SCENARIOS.includes(scenario)) throw new UsageError(`--scenario is ${SCENARIOS.join(' or ')}, not '${values.scenario}'`);
  const timeScale = Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > 1000)
    throw new UsageError(`--time-scale is a number from 1 (real time) to 1000, not '${values['time-scale']}'`);
  const metrics = values.metrics as MetricsChoice;
  if (!METRICS.includes(metrics)) throw new UsageError(`--metrics is ${METRICS.join(', ')}, not '${values.metrics}'`);
  if (values.layout && !layoutLoads(values.layout, io)) return EX_DATAERR;
  // Bound before the fleet starts: a port in use costs one line, not a fleet started and stopped.
  const opened = await openMetrics(metricsAddress(values['metrics-listen']), io, 'demo');
  if ('code' in opened) return opened.code;
  const endpoint = opened.metrics;

  const cleanup = new Cleanup();
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo({
      ...(values.runbook ? { runbookPath: values.runbook } : {}),
      scenario,
      timeScale,
      metrics,
      env: io.env,
      cleanup,
      progress: (l) => io.err(`cutover demo: ${l}\n`),
    });
  } catch (e) {
    await cleanup.run();
    await endpoint?.close();
    if (e instanceof DemoRunbookError) {
      for (const p of e.problems) io.err(`${formatProblem(p)}\n`);
      return EX_DATAERR;
    }
    io.err(`cutover demo: ${(e as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  io.out(`${demo.summary.join('\n')}\n`);
  const tty = io.isTTY && Boolean(process.stdin.isTTY);
  // The keys that matter, over the first screen, the first time this user runs the demo.
  const hint = tty ? demoHint(io.env) : undefined;
  // The console now ends its session on a signal (and on a terminal, on a crash) and returns here.
  cleanup.handOver({ signals: true, crashes: tty });
  try {
    const source = {
      runbook: demo.runbook,
      runbookPath: demo.runbookPath,
      runbookSha256: demo.runbookSha256,
      operator: operatorName(values.operator, io.env),
      mode: 'demo' as const,
      env: demo.env,
    };
    return await runConsole(source, io, {
      yes: values.yes ?? false,
      metricsSource: demo.metricsSource,
      ...(values.layout ? { layout: values.layout } : {}),
      ...(hint ? { hint } : {}),
      ...(endpoint ? { metrics: endpoint } : {}),
    });
  } finally {
    cleanup.handOver({ signals: false, crashes: false });
    await cleanup.run();
  }
}
