/** The checklist pane as lines: phases with status and planned vs actual, steps with icons, gates. */
import type { PhaseRow, StepRow } from '../../../core/select-checklist.js';
import { formatDuration } from '../../../runbook/duration.js';
import type { Runbook } from '../../../runbook/schema.js';
import { fit, lineWidth, windowAround, type Line } from '../../rows.js';
import type { Color } from '../../theme.js';
import { findStep, stepDetail } from './step-detail.js';

/** A selectable item of the checklist: a step, or a phase's gate. */
export type ChecklistItem = { kind: 'step'; phase: string; step: StepRow } | { kind: 'gate'; phase: string; title: string };

/** The selectable items in order (the cursor moves over these). */
export function checklistItems(phases: PhaseRow[]): ChecklistItem[] {
  const out: ChecklistItem[] = [];
  for (const p of phases) {
    for (const s of p.steps) out.push({ kind: 'step', phase: p.id, step: s });
    if (p.gate) out.push({ kind: 'gate', phase: p.id, title: p.gate.title });
  }
  return out;
}

const STEP_ICON: Record<StepRow['status'], string> = { pending: '○', running: '◐', passed: '✓', failed: '✗', skipped: '⤼' };
const STEP_COLOR: Record<StepRow['status'], Color> = {
  pending: undefined,
  running: 'cyan',
  passed: 'green',
  failed: 'red',
  skipped: 'yellow',
};
const PHASE_COLOR: Record<PhaseRow['status'], Color> = {
  locked: 'gray',
  pending: undefined,
  running: 'cyan',
  failed: 'red',
  gate: 'magenta',
  done: 'green',
  'no-go': 'red',
};

export interface ChecklistInput {
  phases: PhaseRow[];
  cursor: number;
  width: number;
  height: number;
  now: number;
  color: boolean;
  /** The runbook, for the selected step's detail (command and hosts, URL, check, wait) and the gate's description. */
  runbook?: Runbook;
}

/** Under this many rows the selected item's detail is one line instead of two. */
const TWO_LINE_DETAIL_ROWS = 10;

/** Lines for the checklist pane, windowed around the cursor. */
export function checklistLines(inp: ChecklistInput): Line[] {
  const c = (k: Color): Color => (inp.color ? k : undefined);
  const lines: Line[] = [];
  let item = 0;
  let cursorLine = 0;
  /** Just past the selected item's last line (its detail included). */
  let cursorEnd = 1;
  for (const p of inp.phases) {
    const timing =
      p.actualMs !== undefined || p.plannedMs !== undefined
        ? `${p.actualMs !== undefined ? formatDuration(p.actualMs) : '–'} / ${p.plannedMs !== undefined ? formatDuration(p.plannedMs) : '–'}`
        : '';
    lines.push([
      { text: p.status === 'locked' ? '⊘ ' : '▪ ', color: c(PHASE_COLOR[p.status]) },
      { text: p.title, bold: true, color: c(PHASE_COLOR[p.status]) },
      { text: `  ${p.status === 'gate' ? 'at gate' : p.status}`, color: c(PHASE_COLOR[p.status]) },
      { text: timing ? `  ${timing}` : '', dim: !p.late, color: c(p.late ? 'red' : undefined) },
      { text: p.late ? '  LATE' : '', bold: true, color: c('red') },
    ]);
    if (p.status === 'locked' && p.lockedBy) lines.push([{ text: `   locked until "${p.lockedBy}" says go`, dim: true }]);
    for (const s of p.steps) {
      const sel = item === inp.cursor;
      if (sel) cursorLine = lines.length;
      const extra =
        s.status === 'failed' && s.error
          ? `  ${s.error}`
          : s.status === 'skipped' && s.reason
            ? `  skipped: ${s.reason}`
            : s.status === 'running' && s.startedAt !== undefined
              ? `  ${formatDuration(Math.max(0, inp.now - s.startedAt))}`
              : '';
      lines.push([
        { text: sel ? ' ▸ ' : '   ', bold: true },
        { text: `${STEP_ICON[s.status]} `, color: c(STEP_COLOR[s.status]) },
        { text: s.title, inverse: sel, dim: p.status === 'locked' },
        { text: `  ${s.kind}`, dim: true },
        { text: s.attempts > 1 ? ` (try ${s.attempts})` : '', dim: true },
        { text: extra, color: c(STEP_COLOR[s.status]) },
      ]);
      if (sel) {
        lines.push(...stepDetailLines(inp, s.id));
        cursorEnd = lines.length;
      }
      item++;
    }
    if (p.gate) {
      const sel = item === inp.cursor;
      if (sel) cursorLine = lines.length;
      const d = p.gate.decision;
      const asked = p.gate.asked;
      const verdict = d
        ? `${d.decision.toUpperCase()} by ${d.operator}${d.approvedBy ? `, approved by ${d.approvedBy}` : ''}${d.reason ? `: ${d.reason}` : ''}`
        : asked
          ? `${asked.subject.kind === 'gate' ? asked.subject.decision.toUpperCase() : ''} by ${asked.operator}: waits for a 2nd approver (esc withdraws)`
          : p.status === 'gate'
            ? `waiting for go / no-go (enter)${p.gate.approvals ? '; a GO needs a 2nd approver' : ''}`
            : 'after the steps';
      lines.push([
        { text: sel ? ' ▸ ' : '   ', bold: true },
        { text: '◆ ', color: c('magenta') },
        { text: p.gate.title, inverse: sel, bold: true },
        { text: `  ${verdict}`, color: c(d?.decision === 'go' ? 'green' : d ? 'red' : asked ? 'yellow' : 'magenta') },
      ]);
      const description = inp.runbook?.phases.find((ph) => ph.id === p.id)?.gate?.description;
      if (sel && description) lines.push([{ text: `     ${description.replace(/\s+/g, ' ').trim()}`, dim: true }]);
      if (sel) cursorEnd = lines.length;
      item++;
    }
  }
  let [a, b] = windowAround(lines.length, cursorLine, inp.height);
  // The selected item's detail stays in view with it, even in a pane of a few rows.
  if (cursorEnd > b) [a, b] = [Math.max(0, Math.min(cursorLine, cursorEnd - inp.height)), cursorEnd];
  b = Math.min(b, a + inp.height);
  return lines.slice(a, b).map((l) => fit(l, inp.width));
}

/** What the selected step will do, shown before Enter runs it: two lines when the pane has room or one would be cut, one otherwise. */
function stepDetailLines(inp: ChecklistInput, id: string): Line[] {
  const step = inp.runbook && findStep(inp.runbook, id);
  if (!inp.runbook || !step) return [];
  const d = stepDetail(step, inp.runbook);
  if (!d.targets) return [[{ text: `     ${d.action}` }]];
  const one: Line = [{ text: `     ${d.action}` }, { text: `  ${d.targets}`, dim: true }];
  // One line in a short pane, unless that would cut the hosts off: the target must be seen before Enter.
  if (inp.height < TWO_LINE_DETAIL_ROWS && (lineWidth(one) <= inp.width || inp.height < 4)) return [one];
  return [[{ text: `     ${d.action}` }], [{ text: `     ${d.targets}`, dim: true }]];
}
