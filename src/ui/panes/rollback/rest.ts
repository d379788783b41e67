/**
 * The rollback pane at rest, preparing the way back: each level with its steps (what runs, where),
 * the host groups and host counts it touches, its expected duration, and the recommended one with
 * its reason. With few rows the selected level stays expanded and the others take one line each.
 */
import type { LevelRow } from '../../../core/select-rollback.js';
import { formatDuration } from '../../../runbook/duration.js';
import { fit, line, wrap, type Line } from '../../rows.js';
import type { Color } from '../../theme.js';
import { findStep, stepDetail } from '../checklist/step-detail.js';
import type { RollbackInput } from './rows.js';

interface Block {
  head: Line;
  /** The head with the level's reach on the same line, for a level shown on one line. */
  oneLine: Line;
  /** The recommendation's reason (wrapped, never cut), under the recommended level whatever the room. */
  why: Line[];
  reach: Line;
  /** Which host is not ready and why, when one is not (under the reach line). */
  down: Line[];
  steps: Line[];
}

/** Lines for the pane when no rollback has run, cut to its size around the selected level. */
export function restLines(inp: RollbackInput): Line[] {
  const c = (k: Color): Color => (inp.color ? k : undefined);
  const { view } = inp;
  const rec = view.recommended;
  const top: Line[] = [];
  if (rec?.countdownUntil !== undefined) {
    const left = Math.max(0, Math.ceil((rec.countdownUntil - inp.now) / 1000));
    top.push(line(`AUTO ROLLBACK in ${left}s${inp.readOnly ? '' : ': press c to cancel'}`, { bold: true, color: c('red'), inverse: true }));
  }
  const blocks = view.levels.map((l, i) => block(inp, l, i === inp.cursor, c));
  const hint = rec
    ? []
    : [
        line(inp.readOnly ? 'no trigger recommends a rollback' : 'no trigger recommends a rollback; R opens the selected level', {
          dim: true,
        }),
      ];
  const sel = Math.min(inp.cursor, blocks.length - 1);
  const full = (b: Block) => [b.head, ...b.why, b.reach, ...b.down, ...b.steps];
  const short = (b: Block) => [b.oneLine, ...b.why];
  const each = (f: (b: Block, i: number) => Line[]) => blocks.flatMap(f);
  // Every level expanded; then only the selected one; then its steps cut to the room left; then one line each.
  const candidates = [each(full), each((b, i) => (i === sel ? full(b) : short(b)))];
  const selected = blocks[sel];
  const room = inp.height - top.length - each((b, i) => (i === sel ? [b.head, ...b.why, b.reach, ...b.down] : short(b))).length;
  if (room >= 1 && room < selected.steps.length) {
    const more = line(`    … ${selected.steps.length - room + 1} more steps (R shows them all)`, { dim: true });
    candidates.push(each((b, i) => (i === sel ? [b.head, ...b.why, b.reach, ...b.down, ...b.steps.slice(0, room - 1), more] : short(b))));
  }
  const oneEach = each(short);
  candidates.push(oneEach);
  for (const body of candidates) {
    const lines = [...top, ...body];
    if (lines.length + hint.length <= inp.height) return [...lines, ...hint].map((l) => fit(l, inp.width));
    if (lines.length <= inp.height) return lines.map((l) => fit(l, inp.width));
  }
  // Not even one line each: only the selected level keeps its reason, in a window that starts at it; the countdown stays on top.
  const bare = each((b, i) => (i === sel ? short(b) : [b.oneLine]));
  const fitRoom = Math.max(0, inp.height - top.length);
  const start = Math.max(0, Math.min(sel, bare.length - fitRoom));
  return [...top, ...bare.slice(start, start + fitRoom)].slice(0, inp.height).map((l) => fit(l, inp.width));
}

function block(inp: RollbackInput, l: LevelRow, sel: boolean, c: (k: Color) => Color): Block {
  const rec = inp.view.recommended;
  const head: Line = [
    { text: sel ? '▸ ' : '  ', bold: true },
    { text: l.title, inverse: sel, bold: l.recommended },
    { text: l.expectedMs !== undefined ? `  ~${formatDuration(l.expectedMs)}` : '', dim: true },
    ...readySegment(l, c),
    { text: l.recommended ? '  ◀ RECOMMENDED' : '', bold: true, color: c('red') },
  ];
  const reach = reachText(l);
  const steps = l.steps.map((s, i) => {
    const step = inp.runbook && findStep(inp.runbook, s.id);
    const action = step && inp.runbook ? stepDetail(step, inp.runbook).action : undefined;
    return [{ text: `    ${i + 1}. ${s.title}` }, { text: action ? `  ${action}` : '', dim: true }] satisfies Line;
  });
  return {
    head,
    oneLine: [...head, { text: `  ${reach}`, dim: true }],
    why:
      l.recommended && rec
        ? wrap(`why: ${rec.reason}`, Math.max(20, inp.width - 6)).map((t, i) =>
            line(`${i ? '      ' : '    '}${t}`, { color: c('yellow') }),
          )
        : [],
    reach: [{ text: `    ${reach}`, dim: true }],
    down: downLines(l, c),
    steps,
  };
}

/** "  ready 3/3" in green, or "  2/3 ready" in yellow (none ready: red), when readiness was reported. */
export function readySegment(l: LevelRow, c: (k: Color) => Color): Line {
  const r = l.readiness;
  if (!r) return [];
  if (r.ready === r.total) return [{ text: `  ready ${r.ready}/${r.total}`, color: c('green') }];
  return [{ text: `  ${r.ready}/${r.total} ready`, bold: true, color: c(r.ready === 0 ? 'red' : 'yellow') }];
}

/** "    not ready: web-3: connection refused (+1 more)", when a host of the level is not connected. */
function downLines(l: LevelRow, c: (k: Color) => Color): Line[] {
  const r = l.readiness;
  const down = r?.down[0];
  if (!r || !down) return [];
  const more = r.total - r.ready - 1;
  return [line(`    not ready: ${down.host}: ${down.error}${more > 0 ? ` (+${more} more)` : ''}`, { color: c('yellow') })];
}

/** "2 steps · blue: 2 hosts, this machine · ran: started T+01:30, OK". */
function reachText(l: LevelRow): string {
  const where = [...l.groups.map((g) => `${g.group}: ${g.hosts} host${g.hosts === 1 ? '' : 's'}`), ...(l.local ? ['this machine'] : [])];
  return [
    `${l.steps.length} step${l.steps.length === 1 ? '' : 's'}`,
    where.length ? where.join(', ') : 'no hosts',
    ...(l.lastRun ? [`ran: ${l.lastRun}`] : []),
  ].join(' · ');
}
