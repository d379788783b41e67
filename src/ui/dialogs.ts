/**
 * Dialogs as data: what each shows (lines) and what each key does in it. Destructive dialogs
 * need a deliberate key (capital Y to roll back); anything else cancels or is ignored.
 */
import type { SessionState } from '../core/state.js';
import { formatDuration } from '../runbook/duration.js';
import { stepKind } from '../runbook/schema.js';
import { line, type Line } from './rows.js';
import type { Dialog } from './use-console-ui.js';

/** What a dialog looks like. */
export interface DialogView {
  title: string;
  lines: Line[];
  /** The keys, in one line at the bottom. */
  hint: string;
  danger: boolean;
}

/** What a key in a dialog leads to. */
export type DialogEffect =
  | { kind: 'none' }
  | { kind: 'close' }
  | { kind: 'update'; dialog: Dialog }
  | { kind: 'submit'; dialog: Dialog };

/** The view of a dialog. */
export function dialogView(d: Dialog, state: SessionState): DialogView {
  switch (d.kind) {
    case 'skip':
      return { title: `Skip "${d.title}"`, lines: [line('Why? (journaled with your name)'), input(d.input)], hint: 'enter skip · esc cancel', danger: false };
    case 'note':
      return { title: 'Add a note to the timeline', lines: [input(d.input)], hint: 'enter add · esc cancel', danger: false };
    case 'filter':
      return { title: 'Filter the timeline', lines: [line('Show lines containing (empty: all):'), input(d.input)], hint: 'enter apply · esc cancel', danger: false };
    case 'gate':
      if (!d.decision) return { title: d.title, lines: [line('Go or no-go? Your name and reason are journaled.'), line(''), line('  g  GO: unlock the next phase', { bold: true }), line('  n  NO-GO: stop here (a reason is required)', { bold: true })], hint: 'g go · n no-go · esc cancel', danger: false };
      return {
        title: `${d.title}: ${d.decision === 'go' ? 'GO' : 'NO-GO'}`,
        lines: [line(d.decision === 'no-go' ? 'Reason (required):' : 'Reason (optional):'), input(d.input)],
        hint: `enter decide ${d.decision.toUpperCase()} · esc cancel`,
        danger: d.decision === 'no-go',
      };
    case 'rollback':
      return { title: `ROLL BACK: ${levelTitle(state, d.level)}`, lines: rollbackPlan(state, d.level), hint: 'Y (capital) runs it now · esc cancels', danger: true };
    case 'abort':
      return { title: `Abort rollback ${d.level}?`, lines: [line('Running commands are cancelled (TERM, then the channel is closed).'), line('Steps not started yet will not run.')], hint: 'y abort · any other key keeps it running', danger: true };
    case 'quit':
      return d.busy
        ? { title: 'Quit while something runs?', lines: [line('Steps or a rollback are still running; quitting cancels them.'), line('The journal keeps everything; `cutover run --resume` continues later.')], hint: 'q quit anyway · any other key stays', danger: true }
        : { title: 'Quit?', lines: [line('The journal is closed and its path printed.')], hint: 'q or y quit · any other key stays', danger: false };
  }
}

/** Applies one key to a dialog. */
export function dialogKey(d: Dialog, key: string, raw: string): DialogEffect {
  const typing = (cur: string): DialogEffect | undefined => {
    if (key === 'backspace') return { kind: 'update', dialog: { ...d, input: [...cur].slice(0, -1).join('') } as Dialog };
    if (raw && !key.startsWith('ctrl-') && key.length >= 1 && ![...raw].some((ch) => ch < ' ')) return { kind: 'update', dialog: { ...d, input: (cur + raw).slice(0, 300) } as Dialog };
    return undefined;
  };
  if (key === 'esc') return { kind: 'close' };
  switch (d.kind) {
    case 'skip':
    case 'note':
    case 'filter':
      if (key === 'enter') return d.kind === 'filter' || d.input.trim() ? { kind: 'submit', dialog: d } : { kind: 'none' };
      return typing(d.input) ?? { kind: 'none' };
    case 'gate':
      if (!d.decision) return key === 'g' ? { kind: 'update', dialog: { ...d, decision: 'go' } } : key === 'n' ? { kind: 'update', dialog: { ...d, decision: 'no-go' } } : { kind: 'none' };
      if (key === 'enter') return d.decision === 'go' || d.input.trim() ? { kind: 'submit', dialog: d } : { kind: 'none' };
      return typing(d.input) ?? { kind: 'none' };
    case 'rollback':
      return key === 'Y' ? { kind: 'submit', dialog: d } : key === 'n' || key === 'q' ? { kind: 'close' } : { kind: 'none' };
    case 'abort':
      return key === 'y' ? { kind: 'submit', dialog: d } : { kind: 'close' };
    case 'quit':
      return key === 'q' || (!d.busy && key === 'y') ? { kind: 'submit', dialog: d } : { kind: 'close' };
  }
}

function input(text: string): Line {
  return [{ text: `> ${text}` }, { text: '█', dim: true }];
}

function levelTitle(state: SessionState, id: string): string {
  return state.session?.runbook.rollback?.levels.find((l) => l.id === id)?.title ?? id;
}

/** Exactly which commands will run on which hosts, in order. */
export function rollbackPlan(state: SessionState, levelId: string): Line[] {
  const rb = state.session?.runbook;
  const level = rb?.rollback?.levels.find((l) => l.id === levelId);
  if (!rb || !level) return [line(`no level '${levelId}'`)];
  const out: Line[] = [line(`${level.steps.length} step${level.steps.length === 1 ? '' : 's'}, in order${level.expected !== undefined ? `; expected ${formatDuration(level.expected)}` : ''}:`)];
  level.steps.forEach((s, i) => {
    const kind = stepKind(s);
    out.push(line(`${i + 1}. ${s.title}`, { bold: true }));
    if (kind === 'run') {
      const hosts = (rb.hosts?.[s.run!.on] ?? []).map((h) => (h.port ? `${h.host}:${h.port}` : h.host));
      const opts = [s.run!.batch && `batch ${'count' in s.run!.batch ? s.run!.batch.count : `${s.run!.batch.percent}%`}`, s.run!.maxFail && `maxFail ${'count' in s.run!.maxFail ? s.run!.maxFail.count : `${s.run!.maxFail.percent}%`}`].filter(Boolean).join(', ');
      out.push(line(`   ssh ${s.run!.on} (${hosts.length} host${hosts.length === 1 ? '' : 's'}${opts ? `; ${opts}` : ''}): ${s.run!.command}`));
      out.push(line(`   on ${hosts.join(', ')}`, { dim: true }));
    } else if (kind === 'local') {
      const cmd = Array.isArray(s.local!.command) ? s.local!.command.join(' ') : s.local!.command;
      out.push(line(`   local${s.local!.shell ? ' (shell)' : ''}: ${cmd}`));
    } else if (kind === 'http') out.push(line(`   GET ${s.http!.url}`));
    else if (kind === 'wait') out.push(line(`   wait ${formatDuration(s.wait!)}`));
    else if (kind === 'expect') out.push(line(`   expect ${s.expect!.panel} ${s.expect!.check.text}`));
    else out.push(line('   manual step (counted as done when the rollback runs)', { dim: true }));
  });
  return out;
}
