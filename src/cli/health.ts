/**
 * `cutover health -f RUNBOOK [--watch] [--json]`: every panel's value, unit, check and status,
 * and Alertmanager's firing alerts. Exit 0 all ok, 1 any warning, 2 any critical, 3 any panel
 * unknown (unreachable, error, no data, stale) when none is critical. A runbook that does not
 * load is a usage mistake: its problems are printed and the exit code is 64.
 * `--watch` prints a frame every poll interval until Ctrl-C, then exits with the last frame's code.
 */
import { parseArgs } from 'node:util';
import { loadRunbookFile } from '../runbook/load.js';
import { formatProblem } from '../runbook/problem.js';
import { EX_USAGE, UsageError, type Io } from './usage.js';
import { collectOnce, reportOf, startEvent } from './health/collect.js';
import { renderJson, renderText, verdict, type HealthReport } from './health/render.js';
import { watch } from './health/watch.js';

/** Parsed options of `cutover health`. */
export interface HealthOptions {
  file: string;
  watch: boolean;
  json: boolean;
}

/** The command's entry point (see commands.ts). */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { file: { type: 'string', short: 'f' }, watch: { type: 'boolean', short: 'w' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.file) throw new UsageError('name the runbook with -f RUNBOOK');
  const opts: HealthOptions = { file: values.file, watch: values.watch ?? false, json: values.json ?? false };
  if (!opts.watch) return runHealth(opts, io);
  // Ctrl-C ends a watch cleanly: stop polling, wait for requests in flight, exit.
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runHealth(opts, io, ac.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Runs the command with parsed options; `signal` ends a watch. Never throws for bad input. */
export async function runHealth(o: HealthOptions, io: Io, signal?: AbortSignal): Promise<number> {
  const loaded = loadRunbookFile(o.file, io.env);
  const rb = loaded.runbook;
  if (!rb) {
    for (const p of loaded.problems) io.err(`${formatProblem(p)}\n`);
    io.err(`cutover health: ${o.file} does not load; fix the problems above ('cutover validate ${o.file}' checks it)\n`);
    return EX_USAGE;
  }
  if (!rb.prometheus) {
    io.err(`cutover health: ${o.file} has no prometheus section; add one (prometheus: { url: http://... }) to query its panels\n`);
    return EX_USAGE;
  }
  const color = io.isTTY && !io.env.NO_COLOR;
  const start = startEvent(rb, o.file, loaded.sha256 ?? '', io.env, Date.now());
  const print = (r: HealthReport, first: boolean) => {
    if (o.json) return io.out(renderJson(r));
    // On a terminal each frame replaces the last; in a pipe frames follow each other.
    io.out(`${first ? '' : io.isTTY ? '\x1b[H\x1b[2J' : '\n'}${renderText(r, rb.health ?? [], color)}`);
  };
  if (o.watch) return watch({ runbook: rb, file: o.file, start, env: io.env, signal: signal ?? new AbortController().signal, print });
  const state = await collectOnce(rb, start, io.env);
  const report = reportOf(state, rb, o.file, Date.now());
  print(report, true);
  return verdict(report.rows).code;
}
