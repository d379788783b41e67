/** The rollback pane as lines: levels, why one is recommended, the countdown, and a running rollback per host. */
import type { CommandState, PendingApproval } from '../../../core/state.js';
import type { TailsView } from '../../../core/output-tails.js';
import type { RollbackView } from '../../../core/select-rollback.js';
import { formatDuration } from '../../../runbook/duration.js';
import type { Runbook } from '../../../runbook/schema.js';
import { fit, line, pad, windowAround, type Line } from '../../rows.js';
import type { Color } from '../../theme.js';
import { readySegment, restLines } from './rest.js';

export interface RollbackInput {
  view: RollbackView;
  /** Selected level (index into view.levels). */
  cursor: number;
  /** Selected host in a running rollback (index into view.run.hosts). */
  hostCursor: number;
  commands: Record<string, CommandState>;
  /** The commands' output (the selected host's tail is shown under the hosts). */
  tails: TailsView;
  now: number;
  width: number;
  height: number;
  color: boolean;
  readOnly: boolean;
  /** The runbook, for what each level's steps run and where (the pane at rest). */
  runbook?: Runbook;
  /** A rollback confirmed by the operator, waiting for a second approver (approvals: 2). */
  asked?: PendingApproval;
}

const HOST_COLOR: Record<string, Color> = { running: 'cyan', ok: 'green', failed: 'red', unknown: 'yellow', queued: 'gray' };

/** Lines for the rollback pane. */
export function rollbackLines(inp: RollbackInput): Line[] {
  const c = (k: Color): Color => (inp.color ? k : undefined);
  const { view } = inp;
  const out: Line[] = [];
  if (view.levels.length === 0) return [line('This runbook has no rollback levels.', { dim: true })];
  if (!view.run && inp.asked) {
    const a = inp.asked;
    const what = a.subject.kind === 'rollback' ? a.subject.level : '';
    const head = line(`ROLL BACK ${what}: by ${a.operator}, waiting for a 2nd approver (${a.id}${inp.readOnly ? '' : '; esc withdraws'})`, {
      bold: true,
      color: c('yellow'),
    });
    return [fit(head, inp.width), ...restLines({ ...inp, height: Math.max(1, inp.height - 1) })];
  }
  if (!view.run) return restLines(inp);
  view.levels.forEach((l, i) => {
    const sel = i === inp.cursor;
    out.push([
      { text: sel ? '▸ ' : '  ', bold: true },
      { text: l.title, inverse: sel, bold: l.recommended },
      { text: l.expectedMs !== undefined ? `  ~${formatDuration(l.expectedMs)}` : '', dim: true },
      // During and after a rollback too: is the way back still warm for the next one?
      ...readySegment(l, c),
      { text: l.recommended ? '  ◀ RECOMMENDED' : '', bold: true, color: c('red') },
    ]);
  });
  const rec = view.recommended;
  if (rec) {
    out.push(line(`why: ${rec.reason}`, { color: c('yellow') }));
    if (rec.countdownUntil !== undefined && !view.run?.status.match(/running/)) {
      const left = Math.max(0, Math.ceil((rec.countdownUntil - inp.now) / 1000));
      out.push(
        line(`AUTO ROLLBACK in ${left}s${inp.readOnly ? '' : ': press c to cancel'}`, { bold: true, color: c('red'), inverse: true }),
      );
    }
  } else if (!view.run)
    out.push(
      line(inp.readOnly ? 'no trigger recommends a rollback' : 'no trigger recommends a rollback; R opens the selected level', {
        dim: true,
      }),
    );
  const run = view.run;
  if (!run) return out.map((l) => fit(l, inp.width));
  const expected = run.expectedMs !== undefined ? ` / expected ${formatDuration(run.expectedMs)}` : '';
  const statusColor = run.status === 'ok' ? 'green' : run.status === 'running' ? 'cyan' : 'red';
  out.push([
    { text: `${run.status.toUpperCase()} `, bold: true, color: c(statusColor) },
    { text: `${run.level} by ${run.operator}  ${formatDuration(run.elapsedMs)}${expected}` },
    {
      text: run.status !== 'running' && run.expectedMs !== undefined && run.elapsedMs > run.expectedMs ? '  OVER' : '',
      color: c('red'),
      bold: true,
    },
  ]);
  if (run.stopping) {
    const left = Math.max(
      0,
      Math.min(Math.ceil((run.stopping.until - run.confirmedAt) / 1000), Math.ceil((run.stopping.until - inp.now) / 1000)),
    );
    const hosts = run.stopping.running.map((r) => r.host);
    out.push(
      line(`STOPPING THE DEPLOY FIRST: TERM sent; waiting up to ${left}s for ${hosts.length ? hosts.join(', ') : 'the cancelled steps'}`, {
        bold: true,
        color: c('yellow'),
      }),
    );
  }
  if (run.leftRunning)
    out.push(
      line(`the deploy may still be running on ${run.leftRunning.map((h) => h.host).join(', ')}: rolled back anyway`, { color: c('red') }),
    );
  if (run.status === 'interrupted')
    out.push(
      line(`the console restarted during it: outcome unknown; check the hosts${inp.readOnly ? '' : ', then R to run it again if needed'}`, {
        color: c('yellow'),
      }),
    );
  for (const s of run.steps)
    out.push(
      line(
        `  ${s.status === 'passed' ? '✓' : s.status === 'failed' ? '✗' : s.status === 'started' ? '◐' : '○'} ${s.title}${s.error ? `: ${s.error}` : ''}`,
        { color: c(s.status === 'failed' ? 'red' : s.status === 'passed' ? 'green' : undefined) },
      ),
    );
  const room = Math.max(2, inp.height - out.length - 1);
  const hostRoom = Math.max(1, Math.min(run.hosts.length, Math.floor(room / 2)));
  const [a, b] = windowAround(run.hosts.length, inp.hostCursor, hostRoom);
  const hostW = Math.min(28, Math.max(8, ...run.hosts.map((h) => h.host.length)));
  for (let i = a; i < b; i++) {
    const h = run.hosts[i];
    const sel = i === inp.hostCursor;
    out.push([
      { text: sel ? ' ▸ ' : '   ' },
      { text: pad(h.host, hostW), inverse: sel },
      { text: ` ${pad(h.status, 8)}`, color: c(HOST_COLOR[h.status]) },
      { text: ` ${formatDuration(h.elapsedMs).padStart(6)}`, dim: true },
      { text: h.error ? `  ${h.error}` : h.code !== undefined && h.code !== 0 ? `  exit ${h.code}` : '', color: c('red') },
    ]);
  }
  if (run.hosts.length > hostRoom) out.push(line(`   ${run.hosts.length} hosts; ↑↓ to move`, { dim: true }));
  const sel = run.hosts[inp.hostCursor];
  const cmd = sel && inp.commands[sel.cmd];
  if (cmd) {
    const left = Math.max(0, inp.height - out.length - 1);
    out.push(line(`── ${sel.host}: ${cmd.command}`, { dim: true }));
    const tail = inp.tails.lines(sel.cmd, left);
    // fit() below strips control sequences from every line, output included.
    if (tail) for (const t of tail) out.push(line(`  ${t}`));
    else if (left > 0)
      out.push(line('  output no longer held in memory (many commands finished since); the journal has all of it', { dim: true }));
  }
  const [a2, b2] = inp.cursor < inp.height ? [0, inp.height] : windowAround(out.length, inp.cursor, inp.height);
  return out.slice(a2, b2).map((l) => fit(l, inp.width));
}
