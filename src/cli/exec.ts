/**
 * `cutover exec -f RUNBOOK GROUP -- COMMAND`: one command on a host group through the same
 * executor the console uses (ssh_config, known_hosts, batch, maxFail, sanitized and redacted
 * output). Each output line is prefixed with its host; a summary line per host and the totals
 * follow. Exit 0 when every host exited 0, 1 otherwise, 64 for usage mistakes and runbooks that
 * do not load, 74 when the journal is incomplete or cannot be created (then nothing runs). The
 * first Ctrl-C cancels (TERM to running commands, no new host starts). Journaled like a session.
 */
import { parseArgs } from 'node:util';
import { loadRunbookFile } from '../runbook/load.js';
import { formatProblem } from '../runbook/problem.js';
import { parseDuration } from '../runbook/duration.js';
import { parseAmount, type Amount } from '../runbook/amount.js';
import type { SessionEvent } from '../core/events.js';
import { EX_USAGE, UsageError, type Io } from './usage.js';
import { ExecDriver, formatMs, label, type FanoutResult } from '../drivers/exec/index.js';
import { openExecRecord, type ExecRecord } from './exec-record.js';
import { EX_INCOMPLETE } from './run/record.js';
import { operatorName } from './run/operator.js';

/** The command's entry point (see commands.ts). */
export async function main(argv: string[], io: Io): Promise<number> {
  const dd = argv.indexOf('--');
  const { values, positionals } = parseArgs({
    args: dd >= 0 ? argv.slice(0, dd) : argv,
    options: {
      file: { type: 'string', short: 'f' },
      timeout: { type: 'string', short: 't' },
      batch: { type: 'string', short: 'b' },
      'max-fail': { type: 'string' },
      concurrency: { type: 'string', short: 'c' },
      operator: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.file) throw new UsageError('name the runbook with -f RUNBOOK');
  const [group, ...rest] = positionals;
  if (!group) throw new UsageError('name the host group to run on');
  const words = dd >= 0 ? [...rest, ...argv.slice(dd + 1)] : rest;
  if (words.length === 0) throw new UsageError('give the command after --');
  const timeout = values.timeout !== undefined ? parseDuration(values.timeout) : undefined;
  if (values.timeout !== undefined && timeout === undefined)
    throw new UsageError(`--timeout '${values.timeout}' is not a duration (30s, 2m)`);
  const batch = amount('--batch', values.batch);
  const maxFail = amount('--max-fail', values['max-fail']);
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
    throw new UsageError('--concurrency takes a whole number of hosts, 1 or more');

  const loaded = loadRunbookFile(values.file, io.env);
  const rb = loaded.runbook;
  if (!rb) {
    for (const p of loaded.problems) io.err(`${formatProblem(p)}\n`);
    return EX_USAGE;
  }
  const groups = Object.keys(rb.hosts ?? {});
  const hosts = rb.hosts?.[group];
  if (!hosts) {
    io.err(
      `cutover exec: no host group '${group}' in ${values.file}; ${groups.length ? `known groups: ${groups.join(', ')}` : 'it defines none (add a hosts section)'}\n`,
    );
    return EX_USAGE;
  }

  const width = Math.max(...hosts.map((h) => label(h).length));
  let record: ExecRecord;
  try {
    record = await openExecRecord({
      runbook: rb,
      runbookPath: values.file,
      runbookSha256: loaded.sha256 ?? '',
      group,
      hosts: hosts.length,
      operator: operatorName(values.operator, io.env),
      io,
    });
  } catch (e) {
    io.err(`cutover exec: ${(e as Error).message.split('\n')[0]}\n`);
    return EX_INCOMPLETE;
  }
  const driver = new ExecDriver({
    ctx: record.ctx((e) => print(e, io, width)),
    runbook: rb,
    env: io.env,
    onNotice: (m) => io.err(`cutover exec: ${m}\n`),
  });
  const ac = new AbortController();
  const onInt = () => {
    if (ac.signal.aborted) {
      record.abandon();
      process.exit(130);
    }
    io.err('cutover exec: cancelling (TERM to running commands); Ctrl-C again to quit at once\n');
    ac.abort();
  };
  process.on('SIGINT', onInt);
  const t0 = Date.now();
  let result: FanoutResult;
  try {
    result = await driver.runRemote({
      step: 'exec',
      id: 'exec',
      hosts,
      command: words.join(' '),
      signal: ac.signal,
      ...(batch ? { batch } : {}),
      ...(maxFail ? { maxFail } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
  } finally {
    process.off('SIGINT', onInt);
    await driver.closeAll();
  }
  io.out(summary(result, width, Date.now() - t0));
  const cancelled = ac.signal.aborted;
  const incomplete = await record.end(
    result.ok ? 'completed' : cancelled ? 'aborted' : 'failed',
    cancelled ? 'SIGINT received' : undefined,
  );
  io.err(`cutover exec: journal ${record.path}\n`);
  return incomplete ?? (result.ok ? 0 : 1);
}

function amount(flag: string, v: string | undefined): Amount | undefined {
  if (v === undefined) return undefined;
  const a = parseAmount(v);
  if (!a || ('percent' in a && a.percent > 100)) throw new UsageError(`${flag} '${v}' is not a number of hosts or a percentage (2, 25%)`);
  return a;
}

/** Prints output lines as they arrive, each prefixed with its host. */
function print(e: SessionEvent, io: Io, width: number): void {
  if (e.type !== 'command/output') return;
  const mark = e.stream === 'stderr' ? '!' : '|';
  const lines = e.text.endsWith('\n') ? e.text.slice(0, -1).split('\n') : e.text.split('\n');
  const text = lines.map((l) => `${e.host.padEnd(width)} ${mark} ${l}\n`).join('');
  (e.stream === 'stderr' ? io.err : io.out)(text);
}

/** The per-host summary and the totals. */
export function summary(r: FanoutResult, width: number, ms: number): string {
  const count = { ok: 0, failed: 0, error: 0, skipped: 0 };
  const rows = r.results.map((h) => {
    count[h.status]++;
    const status = { ok: 'ok', failed: 'FAILED', error: 'ERROR', skipped: 'skipped' }[h.status].padEnd(7);
    const exit = h.code !== null ? `exit ${h.code}` : (h.signal ?? '');
    // Driver errors start with the host for logs elsewhere; here the row already names it.
    const error = h.error?.startsWith(`${h.host}: `) ? h.error.slice(h.host.length + 2) : h.error;
    const detail = [exit, error].filter(Boolean).join('  ');
    const time = h.status === 'skipped' ? '' : `${formatMs(h.ms)}  `.padStart(8);
    return `${h.host.padEnd(width)}  ${status} ${time}${detail}\n`;
  });
  const parts = (['ok', 'failed', 'error', 'skipped'] as const).filter((k) => count[k] > 0 || k === 'ok').map((k) => `${count[k]} ${k}`);
  const notes = [r.tripped ? 'maxFail exceeded' : '', r.cancelled ? 'cancelled' : ''].filter(Boolean).join(', ');
  return `${'-'.repeat(Math.min(72, width + 30))}\n${rows.join('')}${r.results.length} host${r.results.length === 1 ? '' : 's'}: ${parts.join(', ')}${notes ? ` (${notes})` : ''} in ${formatMs(ms)}\n`;
}
