/** `cutover sessions`: the recorded journals, newest first, each read at its two ends (and from its last rollback on, when that decides). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sessionsDir } from '../journal/paths.js';
import { readEdges } from '../replay/edges.js';
import { readRollbackTail } from '../replay/rollback-tail.js';
import { reduceAll } from '../core/reduce.js';
import { formatEndedAs, selectEndedAs } from '../core/select-outcome.js';
import type { SessionEvent } from '../core/events.js';
import { formatDuration } from '../runbook/duration.js';
import { sanitizeLine } from '../core/controls.js';
import { UsageError, type Io } from './usage.js';

/** One line of the listing. */
export interface SessionRow {
  runbook: string;
  operator: string;
  start: number;
  durationMs?: number;
  outcome: string;
  path: string;
}

/** Lists the journals of the sessions directory (or --dir), newest first. */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { dir: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const dir = values.dir ?? sessionsDir(io.env);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    names = [];
  }
  if (!names.length) {
    io.out(`no recorded sessions in ${dir}\n`);
    return 0;
  }
  const rows = names.map((n) => describe(join(dir, n))).sort((a, b) => b.start - a.start || b.path.localeCompare(a.path));
  io.out(render(rows));
  return 0;
}

/** A journal's row from its first and last events; an unreadable one still gets a row that says so. */
export function describe(path: string): SessionRow {
  let edges: ReturnType<typeof readEdges>;
  try {
    // Opening a FIFO (or a device) named *.jsonl would block the whole listing: only regular files are read.
    if (!statSync(path).isFile())
      return { runbook: '?', operator: '?', start: mtime(path), outcome: 'unreadable (not a regular file)', path };
    edges = readEdges(path);
  } catch (e) {
    return {
      runbook: '?',
      operator: '?',
      start: mtime(path),
      outcome: `unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      path,
    };
  }
  const first = edges.first;
  if (first?.type !== 'session/started')
    return { runbook: '?', operator: '?', start: mtime(path), outcome: edges.size ? 'not a journal' : 'empty', path };
  const last = edges.last ?? first;
  return {
    runbook: first.runbook.name,
    operator: first.operator,
    start: first.t,
    durationMs: Math.max(0, last.t - first.t),
    outcome: outcomeOf(path, first, last),
    path,
  };
}

/**
 * The outcome as the report shows it too (`selectEndedAs`). A journaled outcome stands, except
 * `rolled-back` from versions that wrote it for any rollback, and a session that never ended: for
 * those the latest rollback decides, read from the end of the file.
 */
function outcomeOf(path: string, first: SessionEvent, last: SessionEvent): string {
  if (last.type === 'session/ended' && last.outcome !== 'rolled-back') return last.outcome;
  let tail: SessionEvent[];
  try {
    tail = readRollbackTail(path);
  } catch {
    tail = [];
  }
  return formatEndedAs(selectEndedAs(reduceAll([first, ...(tail.length ? tail : last === first ? [] : [last])])));
}

/** The rows as aligned columns: runbook, operator, start, duration, outcome, path. */
export function render(rows: SessionRow[]): string {
  const cells = rows.map((r) => [
    clip(sanitizeLine(r.runbook), 40),
    clip(sanitizeLine(r.operator), 16),
    `${new Date(r.start).toISOString().slice(0, 16).replace('T', ' ')}Z`,
    r.durationMs === undefined ? '-' : formatDuration(r.durationMs),
    r.outcome,
    sanitizeLine(r.path),
  ]);
  const head = ['RUNBOOK', 'OPERATOR', 'START (UTC)', 'DURATION', 'OUTCOME', 'PATH'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]].length)));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x + ' '.repeat(widths[i] - [...x].length))).join('  ');
  return `${[line(head), ...cells.map(line)].join('\n')}\n`;
}

function clip(s: string, n: number): string {
  return [...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s;
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
