/**
 * How the story (story.ts) tells each thing: a panel's status change with its value against the
 * threshold it crossed, a trigger with its value and condition in the panel's unit, alerts, a
 * command's output summed up. Pure functions of what the story keeps.
 */
import { formatDuration } from '../runbook/duration.js';
import { holds } from '../runbook/check.js';
import type { Panel, Trigger } from '../runbook/schema.js';
import { sanitizeLine } from './controls.js';
import { judgmentSummary } from '../judge/text.js';
import {
  sampleNumber,
  type Alert,
  type JudgeVerdict,
  type SessionEvent,
  type TriggerFiring,
  type TriggerPending,
  type TriggerResolved,
} from './events.js';
import { formatCompare, formatMeasured } from './format.js';
import type { HealthRow, PanelStatus } from './select-health.js';
import { describeEvent, eventSeverity, type LineKind, type LineSeverity } from './select-timeline.js';

/** A line as the story makes it: kind, severity, text. */
export type Made = [LineKind, LineSeverity, string];

/** Characters of a command's last output line kept in its exit line. */
const LAST_LINE_MAX = 80;

/** The line the raw view makes of an event, with its severity. */
export function raw(e: SessionEvent): Made {
  const [kind, text] = describeEvent(e);
  return [kind, eventSeverity(e), text];
}

/** A panel's status as a word of the story. */
function statusWord(s: PanelStatus): string {
  switch (s) {
    case 'crit':
      return 'CRITICAL';
    case 'warn':
      return 'WARNING';
    case 'nodata':
      return 'no data';
    case 'error':
      return 'query error';
    default:
      return s;
  }
}

/** How much a panel status matters. */
export function statusSeverity(s: PanelStatus): LineSeverity {
  return s === 'crit' ? 'crit' : s === 'ok' ? 'ok' : 'warn';
}

/** The line of a status change: the value against the threshold it crossed, in the panel's unit; or why there is no value. */
export function panelText(p: Panel, row: HealthRow, prev: PanelStatus | undefined): string {
  const was = prev === undefined || prev === 'ok' ? '' : ` (was ${statusWord(prev)})`;
  switch (row.status) {
    case 'crit':
    case 'warn':
      return `${p.title}: ${statusWord(row.status)} ${measure(p, row, row.status === 'crit' ? p.crit : p.warn)}${was}`;
    case 'ok':
      return `${p.title}: ${prev === 'crit' || prev === 'warn' ? 'recovered at' : 'back,'} ${row.text}${was}`;
    default:
      return `${p.title}: ${statusWord(row.status)}${row.detail ? `: ${row.detail}` : ''}${was}`;
  }
}

/**
 * The value against the threshold it crossed, as every reading of a check is written
 * (format.ts): `15.5% > 10%`; a compare panel's `canary 4.1s = 21× baseline 194ms > 2×`.
 */
function measure(p: Panel, row: HealthRow, check: Panel['crit']): string {
  if (!check) return row.text;
  if (p.compare) return formatCompare(row.compare?.canary, row.compare?.baseline, p.unit, check, true);
  // The series that crossed it: the highest one for an "above" check, the lowest for a "below" one.
  const low = check.op === '<' || check.op === '<=';
  const crossing = row.series.filter((s) => holds(check, sampleNumber(s.value)));
  const s = low ? crossing.at(-1) : crossing[0];
  const value = s?.value ?? row.value;
  if (value === undefined) return row.text;
  // Written with the digits every threshold of the panel needs: a warning at 1.96s under a crit of 2s reads 1.96s.
  const others = [p.warn, p.crit].filter((c) => c && c !== check && c.ratio === check.ratio).map((c) => c!.value);
  return `${formatMeasured(value, check, p.unit, undefined, others)}${s && row.seriesCount > 1 ? ` on ${s.labels}` : ''}`;
}

/** A trigger's transition: the measured value against its condition, in the panel's unit (a trigger the runbook lacks: as journaled). */
export function triggerLine(
  e: TriggerPending | TriggerFiring | TriggerResolved,
  def: Trigger | undefined,
  panels: Map<string, Panel>,
): Made {
  if (!def) return raw(e);
  const p = def.when.judge !== undefined ? undefined : panels.get(def.when.panel);
  const title = def.when.judge !== undefined ? 'canary score' : (p?.title ?? def.when.panel);
  const c = def.when.check;
  switch (e.type) {
    case 'trigger/pending': {
      const held = def.for ? `, fires if it holds ${formatDuration(def.for)}` : '';
      return ['trigger', 'warn', `trigger ${e.trigger} pending: ${title} ${formatMeasured(e.value, c, p?.unit)}${held}`];
    }
    case 'trigger/firing': {
      const severity = def.severity === 'critical' || def.severity === 'major' ? 'crit' : 'warn';
      // The severity word last: the value against the condition must survive a narrow pane's cut.
      return [
        'trigger',
        severity,
        `trigger ${e.trigger} FIRING: ${title} ${formatMeasured(e.value, c, p?.unit, def.for)} (${def.severity})`,
      ];
    }
    case 'trigger/resolved':
      return ['trigger', 'ok', `trigger ${e.trigger} resolved: ${title} ${formatMeasured(e.value, c, p?.unit)}`];
  }
}

/** A change in the alerts firing (and Alertmanager answering again after failing). */
export function alertsLine(started: Alert[], stopped: Alert[], back: boolean): Made {
  const parts = [
    ...(back ? ['Alertmanager answers again'] : []),
    ...(started.length ? [`firing: ${started.map(alertName).join(', ')}`] : []),
    ...(stopped.length ? [`stopped firing: ${stopped.map((a) => a.name).join(', ')}`] : []),
  ];
  const severity = started.some((a) => a.severity === 'critical') ? 'crit' : started.length ? 'warn' : 'ok';
  return ['metric', severity, `alerts: ${parts.join('; ')}`];
}

/** What follows a command's exit: `: 3 lines, last: "ok"`, or `, no output`. */
export function outputSummary(lines: number, last: string): string {
  return lines === 0 ? ', no output' : `: ${lines} line${lines === 1 ? '' : 's'}, last: ${lastLine(last)}`;
}

function alertName(a: Alert): string {
  return a.severity ? `${a.name} (${a.severity})` : a.name;
}

/** A command's last output line, cut and copied (a slice would keep the whole output chunk it came from alive). */
function lastLine(s: string): string {
  const chars = [...sanitizeLine(s).trim()];
  const cut = chars.length > LAST_LINE_MAX ? [...chars.slice(0, LAST_LINE_MAX - 1), '…'] : chars;
  return `"${cut.join('')}"`;
}

/** A judgment's line: the verdict, the score and the figures of each metric that is not Pass, in its panel's unit. */
export function judgeLine(e: JudgeVerdict, panels: Map<string, Panel>): Made {
  const units = new Map([...panels].map(([id, p]) => [id, p.unit]));
  const [kind] = describeEvent(e);
  return [kind, eventSeverity(e), judgmentSummary(e, units)];
}
