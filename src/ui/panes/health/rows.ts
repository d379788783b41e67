/** The health pane as lines: one block per panel (value, status, check, series, sparkline), then alerts. */
import type { Alert } from '../../../core/events.js';
import type { HealthRow } from '../../../core/select-health.js';
import { formatValue } from '../../../core/format.js';
import { fit, line, pad, type Line } from '../../rows.js';
import { STATUS_COLOR, STATUS_MARK, type Color } from '../../theme.js';

/** Renders a sparkline to lines of text (braille); injected so rows stay pure and testable. */
export type SparkRenderer = (
  points: [number, number | string][],
  width: number,
  height: number,
  range?: { from: number; step: number },
) => string[];

export interface HealthInput {
  rows: HealthRow[];
  alerts?: { list: Alert[]; error?: string };
  width: number;
  height: number;
  cursor: number;
  color: boolean;
  spark?: SparkRenderer;
}

/** Lines for the health pane, cut to the pane's size. */
export function healthLines(inp: HealthInput): Line[] {
  const { rows, width, color } = inp;
  if (rows.length === 0 && !inp.alerts) return [line('This runbook has no health panels.', { dim: true })];
  const c = (k: Color): Color => (color ? k : undefined);
  const titleW = Math.max(12, Math.min(28, Math.floor(width * 0.35)));
  const blocks: Line[][] = rows.map((r, i) => {
    const sel = i === inp.cursor;
    const head: Line = [
      { text: sel ? '▸ ' : '  ', bold: true },
      { text: `${pad(r.title, titleW)} `, bold: sel },
      { text: `${pad(valueText(r), 18)} `, color: c(STATUS_COLOR[r.status]), bold: r.status === 'crit' },
      { text: `${pad(STATUS_MARK[r.status], 9)} `, color: c(STATUS_COLOR[r.status]), bold: true },
      { text: checkText(r), dim: true },
    ];
    const block: Line[] = [head];
    if (r.detail) block.push(line(`    ${r.detail}`, { color: c(STATUS_COLOR[r.status]), dim: r.status === 'ok' }));
    if (r.warnings?.length) block.push(line(`    warning: ${r.warnings[0]}`, { color: c('yellow') }));
    if (r.seriesCount > 1) {
      for (const s of r.series) block.push(line(`    ${s.text.padStart(9)}  ${s.labels}`, { dim: true }));
      if (r.seriesCount > r.series.length) block.push(line(`    … ${r.seriesCount - r.series.length} more series`, { dim: true }));
    }
    if (inp.spark && r.points?.length)
      for (const s of inp.spark(r.points, Math.max(10, width - 6), 1, r.range)) block.push(line(`    ${s}`, { color: c('cyan') }));
    return block;
  });
  const alerts = alertLines(inp.alerts, c);
  return pack(blocks, alerts, inp.height, inp.cursor).map((l) => fit(l, width));
}

/** The row's reading; a compare panel's brief one (canary = ratio, or why there is none) fits the column whole. */
function valueText(r: HealthRow): string {
  return r.brief ?? r.text;
}

function checkText(r: HealthRow): string {
  const parts = [r.warn && `warn ${r.warn}`, r.crit && `crit ${r.crit}`].filter(Boolean);
  if (parts.length === 0) return '';
  return parts.join('  ');
}

function alertLines(alerts: HealthInput['alerts'], c: (k: Color) => Color): Line[] {
  if (!alerts) return [];
  const out: Line[] = [
    line(`ALERTS ${alerts.list.length ? `(${alerts.list.length} firing)` : '(none firing)'}`, {
      bold: true,
      color: c(alerts.list.length ? 'red' : 'green'),
    }),
  ];
  if (alerts.error) out.push(line(`  Alertmanager: ${alerts.error}`, { color: c('red') }));
  for (const a of alerts.list)
    out.push([
      { text: `  ${a.severity ? `[${a.severity}] ` : ''}`, color: c('red') },
      { text: a.name, bold: true },
      { text: a.summary ? `  ${a.summary}` : '', dim: true },
    ]);
  return out;
}

/** Keeps the selected panel visible; drops sub-lines of other panels first when space is short. */
function pack(blocks: Line[][], alerts: Line[], height: number, cursor: number): Line[] {
  const full = [...blocks.flat(), ...alerts];
  if (full.length <= height) return full;
  const heads = blocks.map((b, i) => (i === cursor ? b : [b[0]]));
  const compact = [...heads.flat(), ...alerts];
  if (compact.length <= height) return compact;
  const flat = heads.flat();
  const selStart = heads.slice(0, cursor).reduce((n, b) => n + b.length, 0);
  const start = Math.max(0, Math.min(selStart - 1, flat.length - height));
  return flat.slice(start, start + height);
}

export { formatValue };
