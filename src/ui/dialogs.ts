/** What each dialog shows; its keys are a binding table in dialog-keys.ts, and its hint line comes from that table. */
import type { SessionState } from '../core/state.js';
import { formatDuration } from '../runbook/duration.js';
import { levelRuns, ranText } from '../core/select-rollback.js';
import { stepKind } from '../runbook/schema.js';
import { line, textWidth, type Line } from './rows.js';
import { gateLines } from './panes/checklist/gate-lines.js';
import { displayCommand } from '../core/command-text.js';
import type { OverlayView } from './components/Overlay.js';
import type { Dialog } from './use-console-ui.js';
import { selectJudge } from '../core/select-judge.js';
import { classText, metricFigures } from '../judge/text.js';

/** What a dialog looks like: an overlay's title, lines and keys hint. */
export type DialogView = OverlayView;

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
            line(
              state.session?.runbook.phases.find((p) => p.id === d.phase)?.gate?.approvals === 2
                ? '  g  GO: a second person approves it (cutover follow --approve), then the next phase unlocks'
                : '  g  GO: unlock the next phase',
              { bold: true },
            ),
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
    case 'judge':
      return judgeDialog(d, state, hint, input);
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

/** The inconclusive canary: the score, each judged metric's class and figures, then the question or the reason field. */
function judgeDialog(d: Extract<Dialog, { kind: 'judge' }>, state: SessionState, hint: string, input: (text: string) => Line): DialogView {
  const j = selectJudge(state);
  const panels = new Map((state.session?.runbook.health ?? []).map((p) => [p.id, p]));
  const figures = (state.judge?.latest.metrics ?? []).flatMap((m) => [
    line(`  ${classText(m.class).padEnd(8)}${panels.get(m.panel)?.title ?? m.panel}`, { bold: m.class !== 'Pass' }),
    line(`          ${metricFigures(m, panels.get(m.panel)?.unit)}`),
  ]);
  const head = [line(j?.text ?? 'no judgment yet'), ...figures, line('')];
  if (!d.decision)
    return {
      title: 'Canary inconclusive: your decision',
      lines: [
        ...head,
        line('Go on or stop? Your name and reason are journaled.'),
        line(''),
        line('  g  GO: the canary goes on', { bold: true }),
        line('  n  NO-GO: stop it (a reason is required)', { bold: true }),
      ],
      hint,
      danger: false,
    };
  return {
    title: `Canary: ${d.decision === 'go' ? 'GO' : 'NO-GO'}`,
    lines: [...head, line(d.decision === 'no-go' ? 'Reason (required):' : 'Reason (optional):'), input(d.input)],
    hint,
    danger: d.decision === 'no-go',
  };
}

/** A text field: `> ` then the text, the cursor a block at the end or the character under it in inverse; at most `width` columns. */
export function inputLine(text: string, cursor: number | undefined, width = Infinity): Line {
  const units = cells(text);
  const count = [...text].length;
  // The cursor counts code points; it sits on the character (grapheme) that holds its code point.
  const c = Math.max(0, Math.min(count, cursor ?? count));
  const at = c >= count ? units.length - 1 : units.findLastIndex((u) => u.from <= c);
  const n = units.length;
  const room = Math.max(4, width - 2);
  // A window of whole characters around the cursor, an ellipsis a column on each side where it is cut.
  const fits = (s: number, e: number, used: number) => used + (s > 0 ? 1 : 0) + (e < n ? 1 : 0) <= room;
  let start = at;
  let end = at + 1;
  let used = units[at].width;
  // Up to half the room before the cursor, then what fits after it, then what is left before it.
  while (start > 0 && used + units[start - 1].width <= room / 2 && fits(start - 1, end, used + units[start - 1].width))
    used += units[--start].width;
  while (end < n && fits(start, end + 1, used + units[end].width)) used += units[end++].width;
  while (start > 0 && fits(start - 1, end, used + units[start - 1].width)) used += units[--start].width;
  const shown = (from: number, to: number) =>
    units
      .slice(from, to)
      .map((u) => u.text)
      .join('');
  const out: Line = [{ text: '> ' }];
  if (start > 0) out.push({ text: '…', dim: true });
  out.push({ text: shown(start, at) });
  out.push(at < n - 1 ? { text: units[at].text, inverse: true } : { text: '█', dim: true });
  if (at < n - 1) out.push({ text: shown(at + 1, Math.min(end, n - 1)) });
  if (end < n) out.push({ text: '…', dim: true });
  return out;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The field's characters (graphemes) with their code-point start and columns, then the end-of-text cursor cell. */
function cells(text: string): { text: string; from: number; width: number }[] {
  const out: { text: string; from: number; width: number }[] = [];
  let from = 0;
  for (const { segment } of graphemes.segment(text)) {
    out.push({ text: segment, from, width: textWidth(segment) });
    from += [...segment].length;
  }
  out.push({ text: '█', from, width: 1 });
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
  if (level.approvals === 2) out.push(line('Needs a second person: Y asks, and it runs once another person approves.', { bold: true }));
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
