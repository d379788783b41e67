/**
 * `cutover judge -f RUNBOOK [--json]`: the statistical canary judgment now. Every compare panel
 * with `judge:` is compared over its window (Mann-Whitney U, Hodges-Lehmann shift and interval,
 * as Kayenta), classified High, Low, Pass or NoData, and scored. Exit 0 pass, 1 marginal, 2 fail,
 * 3 no data; 64 when the runbook does not load or has nothing to judge.
 */
import { parseArgs } from 'node:util';
import { clientFor } from '../drivers/prometheus/poller.js';
import { judgedPanels, judgeRunbook, type Judgment } from '../judge/judge.js';
import { classText, metricFigures, scoreText } from '../judge/text.js';
import { formatDuration } from '../runbook/duration.js';
import { loadRunbookFile } from '../runbook/load.js';
import { formatProblem } from '../runbook/problem.js';
import type { Runbook } from '../runbook/schema.js';
import { EX_USAGE, UsageError, type Io } from './usage.js';

/** Exit code of each verdict. */
export const VERDICT_EXIT = { pass: 0, marginal: 1, fail: 2, nodata: 3 } as const;

/** The command's entry point (see commands.ts). */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { file: { type: 'string', short: 'f' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.file) throw new UsageError('name the runbook with -f RUNBOOK');
  return runJudge(values.file, values.json ?? false, io);
}

/** Loads the runbook, judges, prints; never throws for bad input. */
export async function runJudge(file: string, json: boolean, io: Io, now = Date.now()): Promise<number> {
  const loaded = loadRunbookFile(file, io.env);
  const rb = loaded.runbook;
  if (!rb) {
    for (const p of loaded.problems) io.err(`${formatProblem(p)}\n`);
    io.err(`cutover judge: ${file} does not load; fix the problems above ('cutover validate ${file}' checks it)\n`);
    return EX_USAGE;
  }
  if (!rb.prometheus) {
    io.err(`cutover judge: ${file} has no prometheus section; add one (prometheus: { url: http://... }) to query its panels\n`);
    return EX_USAGE;
  }
  if (!judgedPanels(rb).length) {
    io.err(`cutover judge: ${file} has no panel to judge; add judge: {window: 10m} to a compare panel (compare: {canary, baseline})\n`);
    return EX_USAGE;
  }
  const j = await judgeRunbook(clientFor(rb, { env: io.env }), rb, now);
  const code = VERDICT_EXIT[j.verdict];
  io.out(json ? `${JSON.stringify({ ...j, exit: code }, null, 2)}\n` : renderJudgment(j, rb, code));
  return code;
}

/** The judgment as text: one block per metric, then the score. */
export function renderJudgment(j: Judgment, rb: Runbook, code: number): string {
  const panels = new Map((rb.health ?? []).map((p) => [p.id, p]));
  const lines = [`judge: ${rb.name}`];
  for (const m of j.metrics) {
    const p = panels.get(m.panel);
    const w = `${formatDuration(m.window.end - m.window.start)} every ${formatDuration(m.window.step)}`;
    lines.push(`  ${classText(m.class).padEnd(8)}${p?.title ?? m.panel}  (${w}${m.critical ? ', critical' : ''})`);
    lines.push(`          ${metricFigures(m, p?.unit)}`);
    lines.push(`          ${m.why}`);
  }
  lines.push(`${scoreText(j)} (exit ${code})`);
  return `${lines.join('\n')}\n`;
}
