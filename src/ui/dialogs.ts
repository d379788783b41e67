/** What each dialog shows; its keys are a binding table in dialog-keys.ts, and its hint line comes from that table. */
import type { SessionState } from '../core/state.js';
import { formatDuration } from '../runbook/duration.js';
import { levelRuns, ranText } from '../core/select-rollback.js';
import { stepKind } from '../runbook/schema.js';
import { line, type Line } from './rows.js';
import { gateLines } from './panes/checklist/gate-lines.js';
import { displayCommand } from '../core/command-text.js';
import type { Dialog } from './use-console-ui.js';

/** What a dialog looks like. */
export interface DialogView {
  title: string;
  lines: Line[];
  /** The keys, in one line at the bottom (from the dialog's binding table). */
  hint: string;
  danger: boolean;
}

/** The view of a dialog; `width` is the most its lines can take (a long text field shows a window around its cursor). */
export function dialogView(d: Dialog, state: SessionState, hint: string, notRecording?: string, width = Infinity): DialogView {
  const input = (text: string) => inputLine(text, 'cursor' in d ? d.cursor : undefined, width);
  const unrecorded =
    notRecording !== undefined
      ? [
          line('NOT RECORDING: what the journal could not take goes to', { bold: true }),
          line('a fallback file; its path is printed on exit.', { bold: true }),
        ]
      : [];
  switch (d.kind) {
    case 'skip':
      return { title: `Skip "${d.title}"`, lines: [line('Why? (journaled with your name)'), input(d.input)], hint, danger: false };
    case 'note':
      return { title: 'Add a note to the timeline', lines: [input(d.input)], hint, danger: false };
    case 'filter':
      return { title: 'Filter the timeline', lines: [line('Show lines containing (empty: all):'), input(d.input)], hint, danger: false };
    case 'gate':
      if (!d.decision)
        return {
          title: d.title,
          lines: [
            // The latest event's time: samples arrive every few seconds, so staleness reads right.
            ...gateLines(state, d.phase, state.t),
            line(''),
            line('Go or no-go? Your name and reason are journaled.'),
            line(''),
            line('  g  GO: unlock the next phase', { bold: true }),
            line('  n  NO-GO: stop here (a reason is required)', { bold: true }),
          ],
          hint,
          danger: false,
        };
      return {
        title: `${d.title}: ${d.decision === 'go' ? 'GO' : 'NO-GO'}`,
        lines: [line(d.decision === 'no-go' ? 'Reason (required):' : 'Reason (optional):'), input(d.input)],
        hint,
        danger: d.decision === 'no-go',
      };
    case 'rollback':
      return { title: `ROLL BACK: ${levelTitle(state, d.level)}`, lines: rollbackPlan(state, d.level), hint, danger: true };
    case 'abort':
      return {
        title: `Abort rollback ${d.level}?`,
        lines: [line('Running commands are cancelled (TERM, then the channel is closed).'), line('Steps not started yet will not run.')],
        hint,
        danger: true,
      };
    case 'quit':
      return d.busy
        ? {
            title: 'Quit while something runs?',
            lines: [
              line('Steps or a rollback are still running; quitting cancels them (TERM),'),
              line('records how each command ended, then ends the session.'),
              ...unrecorded,
            ],
            hint,
            danger: true,
          }
        : { title: 'Quit?', lines: [line('The journal is closed and its path printed.'), ...unrecorded], hint, danger: false };
  }
}

/** A text field: `> ` then the text, the cursor a block at the end or the character under it in inverse. */
export function inputLine(text: string, cursor: number | undefined, width = Infinity): Line {
  const chars = [...text];
  const at = Math.max(0, Math.min(chars.length, cursor ?? chars.length));
  // Cells after "> ": the characters, and one more for a cursor at the end.
  const cells = chars.length + 1;
  const room = Math.max(3, width - 2);
  let start = 0;
  if (cells > room) start = at >= cells - room ? cells - room : Math.max(0, at - Math.floor(room / 2));
  if (start > 0 && at <= start) start = Math.max(0, at - 1); // the ellipsis never hides the cursor
  const end = Math.min(cells, start + room);
  const shown = (from: number, to: number) => chars.slice(from, to).join('');
  const out: Line = [{ text: '> ' }];
  if (start > 0) out.push({ text: '…', dim: true });
  out.push({ text: shown(start > 0 ? start + 1 : start, at) });
  out.push(at < chars.length ? { text: chars[at], inverse: true } : { text: '█', dim: true });
  if (at < chars.length) out.push({ text: shown(at + 1, end < cells ? end - 1 : end) });
  if (end < cells) out.push({ text: '…', dim: true });
  return out;
}

function levelTitle(state: SessionState, id: string): string {
  return state.session?.runbook.rollback?.levels.find((l) => l.id === id)?.title ?? id;
}

/** Exactly which commands will run on which hosts, in order. */
export function rollbackPlan(state: SessionState, levelId: string): Line[] {
  const rb = state.session?.runbook;
  const level = rb?.rollback?.levels.find((l) => l.id === levelId);
  if (!rb || !level) return [line(`no level '${levelId}'`)];
  const ran = levelRuns(state, levelId).at(-1);
  const out: Line[] = ran ? [line(`Already ran (${ranText(state, ran)}): this is a new decision.`, { bold: true })] : [];
  out.push(
    line(
      `${level.steps.length} step${level.steps.length === 1 ? '' : 's'}, in order${level.expected !== undefined ? `; expected ${formatDuration(level.expected)}` : ''}:`,
    ),
  );
  level.steps.forEach((s, i) => {
    const kind = stepKind(s);
    out.push(line(`${i + 1}. ${s.title}`, { bold: true }));
    if (kind === 'run') {
      const hosts = (rb.hosts?.[s.run!.on] ?? []).map((h) => (h.port ? `${h.host}:${h.port}` : h.host));
      const opts = [
        s.run!.batch && `batch ${'count' in s.run!.batch ? s.run!.batch.count : `${s.run!.batch.percent}%`}`,
        s.run!.maxFail && `maxFail ${'count' in s.run!.maxFail ? s.run!.maxFail.count : `${s.run!.maxFail.percent}%`}`,
      ]
        .filter(Boolean)
        .join(', ');
      out.push(
        line(`   ssh ${s.run!.on} (${hosts.length} host${hosts.length === 1 ? '' : 's'}${opts ? `; ${opts}` : ''}): ${s.run!.command}`),
      );
      out.push(line(`   on ${hosts.join(', ')}`, { dim: true }));
    } else if (kind === 'local') {
      const cmd = displayCommand(s.local!.command);
      out.push(line(`   local${s.local!.shell ? ' (shell)' : ''}: ${cmd}`));
    } else if (kind === 'http') out.push(line(`   GET ${s.http!.url}`));
    else if (kind === 'wait') out.push(line(`   wait ${formatDuration(s.wait!)}`));
    else if (kind === 'expect') out.push(line(`   expect ${s.expect!.panel} ${s.expect!.check.text}`));
    else out.push(line('   manual step (counted as done when the rollback runs)', { dim: true }));
  });
  return out;
}
