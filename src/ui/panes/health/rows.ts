/**
 * The health pane as lines: firing alerts first, then one block per panel (title, value, status,
 * the full check; why; series; a sparkline sized to the room left, with its scale and thresholds).
 */
import type { Alert, SampleValue } from '../../../core/events.js';
import type { HealthRow } from '../../../core/select-health.js';
import { formatValue } from '../../../core/format.js';
import { formatDuration } from '../../../runbook/duration.js';
import { fit, line, pad, textWidth, type Line } from '../../rows.js';
import { STATUS_COLOR, STATUS_MARK, type Color } from '../../theme.js';
import { type ChartRules, chartLines, checkParts, type SparkRenderer } from './chart.js';

export type { SparkRenderer } from './chart.js';

export interface HealthInput {
  rows: HealthRow[];
  alerts?: { list: Alert[]; error?: string };
  /** Compare panels' baseline over the sparkline window, by panel id. */
  baselines?: Record<string, [number, SampleValue][]>;
  /** Thresholds as numbers, by panel id (the rows carry them as text), for the lines across the charts. */
  rules?: Record<string, ChartRules>;
  width: number;
  height: number;
  cursor: number;
  color: boolean;
  /** The clock, for how long each alert has fired. */
  now?: number;
  spark?: SparkRenderer;
  /** The canary judge's score line, and whether it waits for the operator's decision. */
  judge?: { text: string; verdict: string; ask?: string };
}

/** Sparkline rows per panel at most, however much room there is. */
const MAX_CHART_ROWS = 8;
/** Alerts listed one by one; the rest are counted. */
const MAX_ALERTS = 5;
/** A title is abbreviated before the check is moved to its own line, down to this width... */
const READABLE_TITLE = 24;
/** ...and, when even the value and status need the room, never below this. */
const MIN_TITLE = 8;

/** Lines for the health pane, cut to the pane's size. */
export function healthLines(inp: HealthInput): Line[] {
  const { rows, width, color } = inp;
  const c = (k: Color): Color => (color ? k : undefined);
  const alerts = [...alertLines(inp, c), ...judgeLines(inp, c)];
  if (rows.length === 0) return [...alerts, line('This runbook has no health panels.', { dim: true })].slice(0, inp.height);
  const cols = columns(rows, width);
  const blocks: Line[][] = rows.map((r, i) => textBlock(r, i === inp.cursor, cols, c));
  // The room the text leaves is shared out as chart rows: several each when there is room, one when there is not.
  const charted = rows.filter((r) => r.points?.length && inp.spark);
  const legend = (r: HealthRow) => (r.compare ? 1 : 0);
  const fixed = alerts.length + blocks.reduce((n, b) => n + b.length, 0) + charted.reduce((n, r) => n + legend(r), 0);
  const chartRows = charted.length ? clamp(Math.floor((inp.height - fixed) / charted.length), 1, MAX_CHART_ROWS) : 0;
  rows.forEach((r, i) => {
    if (!inp.spark || !r.points?.length) return;
    blocks[i].push(
      ...chartLines(r, {
        width,
        height: chartRows,
        spark: inp.spark,
        ...(inp.baselines?.[r.id] ? { baseline: inp.baselines[r.id] } : {}),
        ...(inp.rules?.[r.id] ? { rules: inp.rules[r.id] } : {}),
        color,
      }),
    );
  });
  return pack(blocks, alerts, inp.height, inp.cursor).map((l) => fit(l, width));
}

interface Columns {
  title: number;
  value: number;
  status: number;
  width: number;
}

/**
 * Column widths from what the rows hold: the value keeps its length, the title gives way down to a
 * readable width; a check that does not fit after them goes on a line of its own, whole.
 */
function columns(rows: HealthRow[], width: number): Columns {
  const value = Math.max(5, ...rows.map((r) => textWidth(valueText(r))));
  const status = Math.max(...rows.map((r) => textWidth(STATUS_MARK[r.status])));
  const check = Math.max(0, ...rows.map((r) => textWidth(checkParts(r).join('  '))));
  const longest = Math.max(...rows.map((r) => textWidth(r.title)));
  const rest = 2 + value + 1 + status + 1;
  const fitsAll = width - rest - (check ? check + 1 : 0);
  const most = Math.max(Math.min(MIN_TITLE, longest), width - rest);
  const title = Math.min(clamp(fitsAll, Math.min(READABLE_TITLE, longest), longest), most);
  // No check fits beside it anyway: the title may have the whole line.
  const anyInline = rows.some((r) => textWidth(checkParts(r).join('  ')) + 1 <= width - rest - title);
  return { title: anyInline ? title : Math.min(longest, most), value, status, width };
}

function textBlock(r: HealthRow, sel: boolean, cols: Columns, c: (k: Color) => Color): Line[] {
  const check = checkParts(r).join('  ');
  const inline = check !== '' && 2 + cols.title + 1 + cols.value + 1 + cols.status + 1 + textWidth(check) <= cols.width;
  const block: Line[] = [
    [
      { text: sel ? '▸ ' : '  ', bold: true },
      { text: `${abbreviate(r.title, cols.title)} `, bold: sel },
      { text: `${pad(valueText(r), cols.value)} `, color: c(STATUS_COLOR[r.status]), bold: r.status === 'crit' },
      {
        text: inline ? `${pad(STATUS_MARK[r.status], cols.status)} ` : STATUS_MARK[r.status],
        color: c(STATUS_COLOR[r.status]),
        bold: true,
      },
      { text: inline ? check : '', dim: true },
    ],
  ];
  if (!inline && check) block.push(line(`    ${check}`, { dim: true }));
  if (r.margin) block.push(line(`    ${r.margin}`, { color: c(STATUS_COLOR[r.status]) }));
  if (r.detail) block.push(line(`    ${r.detail}`, { color: c(STATUS_COLOR[r.status]), dim: r.status === 'ok' }));
  if (r.warnings?.length) block.push(line(`    warning: ${r.warnings[0]}`, { color: c('yellow') }));
  if (r.judged) {
    const bad = r.judged.class === 'High' || r.judged.class === 'Low';
    block.push(line(`    judge ${r.judged.text}`, { color: c(bad ? 'red' : r.judged.class === 'Pass' ? 'green' : 'yellow') }));
    block.push(line(`      ${r.judged.why}`, { dim: true }));
  }
  if (r.seriesCount > 1) {
    for (const s of r.series) block.push(line(`    ${s.text.padStart(9)}  ${s.labels}`, { dim: true }));
    if (r.seriesCount > r.series.length) block.push(line(`    … ${r.seriesCount - r.series.length} more series`, { dim: true }));
  }
  return block;
}

/** The row's reading; a compare panel's brief one (canary = ratio, or why there is none) fits the column whole. */
function valueText(r: HealthRow): string {
  return r.brief ?? r.text;
}

/** Cuts a title to exactly `n` columns with an ellipsis in the middle, keeping its last words (a title is what gives way, never the check). */
export function abbreviate(title: string, n: number): string {
  if (textWidth(title) <= n) return pad(title, n);
  // The end often tells panels apart ("(prod)", "(staging)", "vs yesterday"): keep its last words.
  const budget = Math.floor((n - 1) * 0.4);
  let tail = '';
  for (const m of title.matchAll(/\S+/g)) {
    const rest = title.slice(m.index);
    if (textWidth(rest) <= budget) {
      tail = rest;
      break;
    }
  }
  const head = pad(title, n - 1 - textWidth(tail)).trimEnd();
  return pad(`${head}…${tail}`, n);
}

/** Firing alerts (name, severity, for how long), only when Alertmanager reports some, or cannot be read. */
function alertLines(inp: HealthInput, c: (k: Color) => Color): Line[] {
  const alerts = inp.alerts;
  if (!alerts || (alerts.list.length === 0 && !alerts.error)) return [];
  const out: Line[] = [];
  if (alerts.list.length) out.push(line(`▲ ALERTS FIRING (${alerts.list.length})`, { bold: true, color: c('red') }));
  if (alerts.error) out.push(line(`▲ Alertmanager: ${alerts.error}`, { color: c('red') }));
  const sorted = [...alerts.list].sort((a, b) => a.startsAt - b.startsAt);
  const sev = Math.max(0, ...sorted.map((a) => textWidth(a.severity ?? '')));
  for (const a of sorted.slice(0, MAX_ALERTS)) {
    const since = inp.now !== undefined ? `  for ${formatDuration(Math.max(0, inp.now - a.startsAt))}` : '';
    out.push([
      { text: `  ${pad(a.severity ?? '', sev)}${sev ? '  ' : ''}`, color: c('red'), bold: true },
      { text: a.name, bold: true },
      { text: since },
      { text: a.summary ? `  ${a.summary}` : '', dim: true },
    ]);
  }
  if (sorted.length > MAX_ALERTS) out.push(line(`  … ${sorted.length - MAX_ALERTS} more firing`, { dim: true }));
  return out;
}

/** The canary score, and the question to the operator while it is inconclusive. */
function judgeLines(inp: HealthInput, c: (k: Color) => Color): Line[] {
  const j = inp.judge;
  if (!j) return [];
  const color = j.verdict === 'pass' ? 'green' : j.verdict === 'fail' ? 'red' : 'yellow';
  const out = [line(`◆ ${j.text}`, { bold: true, color: c(color) })];
  if (j.ask) out.push(line(`  ${j.ask}`, { bold: true, color: c('yellow') }));
  return out;
}

/** Keeps the alerts and the selected panel visible: drops other panels' sub-lines first, then the selected one's, then panels around it. */
function pack(blocks: Line[][], alerts: Line[], height: number, cursor: number): Line[] {
  const full = [...alerts, ...blocks.flat()];
  if (full.length <= height) return full;
  const heads = blocks.map((b, i) => (i === cursor ? b : [b[0]]));
  const compact = [...alerts, ...heads.flat()];
  if (compact.length <= height) return compact;
  // Every panel's head line before the selected one's details; then a window over the heads.
  const flat = blocks.map((b) => b[0]);
  if (alerts.length + flat.length <= height) return [...alerts, ...flat];
  // Panels left out are never silently gone: the last row says how many, and where.
  const room = Math.max(0, height - alerts.length - 1);
  const start = Math.max(0, Math.min(cursor - 1, flat.length - room));
  const above = start;
  const below = Math.max(0, flat.length - start - room);
  const where = [above && `${above} above`, below && `${below} below`].filter(Boolean).join(', ');
  const more = line(`  … ${above + below} more panel${above + below === 1 ? '' : 's'} (${where}; ↑↓ or z)`, { dim: true });
  return [...alerts, ...flat.slice(start, start + room), more].slice(0, height);
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export { formatValue };
