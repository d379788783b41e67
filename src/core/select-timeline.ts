/**
 * Timeline lines: wall time, T+elapsed, a kind (colour) and a severity (a mark that reads without
 * colour). `timelineLine` is the raw view: every event one line, read from the event alone. The
 * story (story.ts: what happened, without the samples) builds its lines from the same parts.
 */
import { formatDuration, formatElapsed } from '../runbook/duration.js';
import { judgmentSummary } from '../judge/text.js';
import type { ApprovalSubject, LevelReadiness, MarkAdded, SessionEvent } from './events.js';

/** Colour family of a line, so the pane can tint by kind. */
export type LineKind = 'session' | 'metric' | 'step' | 'command' | 'output' | 'gate' | 'trigger' | 'rollback' | 'note' | 'error';

/** How much a line matters: `crit` needs attention, `warn` may, `ok` is good news, `info` is the rest. */
export type LineSeverity = 'crit' | 'warn' | 'ok' | 'info';

/** The mark each severity carries, so NO_COLOR and a monochrome wall screen lose nothing; two columns wide. */
export const SEVERITY_MARK: Record<LineSeverity, string> = { crit: '!!', warn: '! ', ok: 'ok', info: '· ' };

export interface TimelineLine {
  t: number;
  /** `HH:MM:SS` in UTC (the journal's clock), and `T+MM:SS` from the session start. */
  clock: string;
  elapsed: string;
  kind: LineKind;
  severity: LineSeverity;
  text: string;
}

/** One event as a timeline line (the raw view). `start` is the session's start time. */
export function timelineLine(e: SessionEvent, start: number): TimelineLine {
  const [kind, text] = describeEvent(e);
  return stamped(e.t, start, kind, eventSeverity(e), text);
}

/** A line at time `t` of a session that started at `start`. */
export function stamped(t: number, start: number, kind: LineKind, severity: LineSeverity, text: string): TimelineLine {
  return { t, clock: new Date(t).toISOString().slice(11, 19), elapsed: formatElapsed(t - start), kind, severity, text };
}

/** How much an event matters, judged from the event alone (the story knows more for samples, alerts and triggers). */
export function eventSeverity(e: SessionEvent): LineSeverity {
  switch (e.type) {
    case 'session/resumed':
    case 'metric/failed':
    case 'alerts/failed':
    case 'step/skipped':
    case 'trigger/pending':
    case 'rollback/confirmed':
      return 'warn';
    case 'session/ended':
      return e.outcome === 'completed'
        ? 'ok'
        : e.outcome === 'quit'
          ? 'info'
          : e.outcome === 'stopped-at-gate' || e.outcome === 'rolled-back'
            ? 'warn'
            : 'crit';
    case 'alerts/updated':
      return e.alerts.length ? 'warn' : 'info';
    case 'step/passed':
    case 'trigger/resolved':
      return 'ok';
    case 'step/failed':
    case 'trigger/firing':
    case 'rollback/recommended':
    case 'rollback/aborted':
      return 'crit';
    case 'command/exited':
      return e.code === 0 && !e.error ? 'ok' : 'crit';
    case 'gate/decided':
      return e.decision === 'go' ? 'ok' : 'warn';
    case 'rollback/waited':
      return e.running.length ? 'warn' : 'info';
    case 'rollback/step':
      return e.status === 'failed' ? 'crit' : e.status === 'passed' ? 'ok' : e.status === 'skipped' ? 'warn' : 'info';
    case 'rollback/finished':
      return e.ok ? 'ok' : 'crit';
    case 'notify/failed':
      return 'warn';
    case 'judge/verdict':
      return e.verdict === 'pass' ? 'ok' : e.verdict === 'fail' ? 'crit' : 'warn';
    case 'judge/decided':
      return e.decision === 'go' ? 'ok' : 'warn';
    case 'rollback/readiness':
      // The way back is not all there: the operator should know before a rollback needs it.
      return e.levels.every((l) => l.ready === l.total) ? 'ok' : 'warn';
    case 'mark/added':
      return e.kind === 'error' ? 'crit' : e.kind === 'warning' ? 'warn' : 'info';
    case 'approval/requested':
      return 'warn';
    case 'approval/decided':
      return e.decision === 'approve' ? 'ok' : e.decision === 'refuse' ? 'warn' : 'info';
    default:
      return 'info';
  }
}

/** The kind and text of an event's raw line. */
export function describeEvent(e: SessionEvent): [LineKind, string] {
  switch (e.type) {
    case 'session/started':
      return ['session', `session started by ${e.operator}: ${e.runbook.name}${e.mode === 'demo' ? ' (demo)' : ''}`];
    case 'session/resumed':
      return [
        'session',
        `session resumed by ${e.operator} after event ${e.afterSeq}${e.runbookChanges !== undefined ? `; runbook changed: ${e.runbookChanges}` : ''}`,
      ];
    case 'session/ended':
      return ['session', `session ended: ${e.outcome}${e.reason ? ` (${e.reason})` : ''}`];
    case 'metric/sampled':
      return ['metric', `${e.panel} = ${sampleText(e.series)}${e.baseline ? ` vs baseline ${sampleText(e.baseline)}` : ''}`];
    case 'metric/failed':
      return ['error', `${e.panel}: ${e.kind}: ${e.message}`];
    case 'metric/range':
      return ['metric', `${e.panel}: sparkline ${e.points.length} points`];
    case 'alerts/updated':
      return ['metric', `alerts: ${e.alerts.length ? e.alerts.map((a) => a.name).join(', ') : 'none firing'}`];
    case 'alerts/failed':
      return ['error', `alerts: ${e.kind}: ${e.message}`];
    case 'step/started':
      return ['step', `step ${e.step} started`];
    case 'step/passed':
      return ['step', `step ${e.step} passed${e.detail ? `: ${e.detail}` : ''}`];
    case 'step/failed':
      return ['error', `step ${e.step} failed: ${e.error}`];
    case 'step/skipped':
      return ['step', `step ${e.step} skipped by ${e.operator}: ${e.reason}`];
    case 'command/started':
      return ['command', `${e.host}$ ${e.command}`];
    case 'command/output':
      return ['output', `${e.host}${e.stream === 'stderr' ? ' !' : ' |'} ${firstLine(e.text)}`];
    case 'command/exited':
      return [
        e.code === 0 && !e.error ? 'command' : 'error',
        `${e.host} ${e.error ? e.error : e.signal ? `killed by ${e.signal}` : `exit ${e.code}`} after ${formatDuration(e.ms)}`,
      ];
    case 'gate/decided':
      return [
        'gate',
        `gate ${e.phase}: ${e.decision.toUpperCase()} by ${e.operator}${e.approvedBy ? `, approved by ${e.approvedBy}` : ''}${e.reason ? `: ${e.reason}` : ''}`,
      ];
    case 'trigger/pending':
      return ['trigger', `trigger ${e.trigger} pending: ${num(e.value)} ${e.check}`];
    case 'trigger/firing':
      return ['trigger', `trigger ${e.trigger} FIRING: ${num(e.value)} ${e.check}`];
    case 'trigger/resolved':
      return ['trigger', `trigger ${e.trigger} resolved: ${num(e.value)}`];
    case 'trigger/rearmed':
      return ['trigger', `trigger ${e.trigger} re-armed after rollback ${e.level}: only samples from now on count`];
    case 'rollback/recommended':
      return ['rollback', `rollback ${e.level} recommended: ${e.reason}`];
    case 'rollback/confirmed':
      return [
        'rollback',
        `rollback ${e.level} confirmed by ${e.operator}${e.approvedBy ? `, approved by ${e.approvedBy}` : ''}${e.auto ? ' (auto)' : ''}`,
      ];
    case 'rollback/waited':
      return [
        e.running.length ? 'error' : 'rollback',
        e.running.length
          ? `rollback ${e.level}: the deploy may still be running after ${formatDuration(e.ms)} on ${e.running.map((r) => r.host).join(', ')}; rolling back anyway`
          : `rollback ${e.level}: the deploy stopped in ${formatDuration(e.ms)}`,
      ];
    case 'rollback/step':
      return [e.status === 'failed' ? 'error' : 'rollback', `rollback ${e.level}: ${e.step} ${e.status}${e.error ? `: ${e.error}` : ''}`];
    case 'rollback/finished':
      return [
        e.ok ? 'rollback' : 'error',
        `rollback ${e.level} ${e.ok ? 'finished' : e.aborted ? 'ABORTED, stopped' : 'FAILED'} in ${formatDuration(e.ms)}`,
      ];
    case 'rollback/aborted':
      return ['error', `rollback ${e.level} aborted by ${e.operator}${e.reason ? `: ${e.reason}` : ''}`];
    case 'rollback/dismissed':
      return ['rollback', `rollback ${e.level} recommendation dismissed by ${e.operator}`];
    case 'rollback/readiness':
      return [
        e.levels.every((l) => l.ready === l.total) ? 'rollback' : 'error',
        `rollback hosts: ${e.levels.map((l) => `${l.level} ${readinessText(l)}`).join('; ')}`,
      ];
    case 'note/added':
      return ['note', `note (${e.operator}): ${e.text}`];
    case 'mark/added':
      return [e.kind === 'error' ? 'error' : 'note', `${MARK_LEAD[e.kind]}${e.text} (${e.source.user}: ${commandName(e.source.command)})`];
    case 'approval/requested':
      return [
        e.subject.kind === 'gate' ? 'gate' : 'rollback',
        `${e.operator} asks a second person to approve ${subjectText(e.subject)}${e.reason ? `: ${e.reason}` : ''} (request ${e.id})`,
      ];
    case 'approval/decided':
      return [
        e.decision === 'refuse' ? 'error' : 'note',
        `request ${e.id} ${e.decision === 'approve' ? 'approved' : e.decision === 'refuse' ? 'REFUSED' : 'withdrawn'} by ${e.by}${e.reason ? `: ${e.reason}` : ''}`,
      ];
    case 'notify/delivered':
      return ['note', `notified ${e.webhook} of ${e.event} (HTTP ${e.status}${e.attempts > 1 ? `, ${e.attempts} attempts` : ''})`];
    case 'notify/failed':
      return [
        'error',
        `notification of ${e.event} to ${e.webhook} not delivered${e.attempts > 1 ? ` after ${e.attempts} attempts` : ''}: ${e.error}`,
      ];
    case 'judge/verdict':
      return [e.verdict === 'pass' ? 'metric' : 'error', judgmentSummary(e)];
    case 'judge/decided':
      return ['gate', `canary judge: ${e.decision.toUpperCase()} by ${e.operator} at score ${e.score}${e.reason ? `: ${e.reason}` : ''}`];
  }
}

/** How a mark's line begins: a phase mark stands out as a marker, the rest say they come from a script. */
const MARK_LEAD: Record<MarkAdded['kind'], string> = { info: 'mark: ', warning: 'mark WARNING: ', error: 'mark ERROR: ', phase: '▶▶ ' };

/** "gate canary GO", "rollback l1". */
export function subjectText(x: ApprovalSubject): string {
  return x.kind === 'gate' ? `gate ${x.phase} ${x.decision.toUpperCase()}` : `rollback ${x.level}`;
}

/** The sender's command, short: its first two words (interpreter and script) without their directories, at most 40 characters. */
function commandName(command: string): string {
  const words = command
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w.slice(w.lastIndexOf('/') + 1) || w)
    .join(' ');
  return words.length > 40 ? `${words.slice(0, 39)}…` : words || 'unknown command';
}

/** The first series' value, and how many more there are; "no data" when none. */
function sampleText(series: { value: number | string }[]): string {
  if (series.length === 0) return 'no data';
  return `${num(series[0].value)}${series.length > 1 ? ` (+${series.length - 1} series)` : ''}`;
}

/** A measured value, short: 0.1874 rather than 0.18738918277332475. */
function num(v: number | string | null): string {
  if (v === null) return 'no data';
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : v;
}

function firstLine(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.length > 1 ? `${lines[0]} (+${lines.length - 1} lines)` : lines[0];
}

/** "ready 3/3", or "2/3 ready, web-3: connection refused (+1 more)". */
export function readinessText(l: LevelReadiness): string {
  if (l.ready === l.total) return `ready ${l.ready}/${l.total}`;
  const first = l.down[0];
  const more = l.total - l.ready - 1;
  return `${l.ready}/${l.total} ready${first ? `, ${first.host}: ${first.error}` : ''}${first && more > 0 ? ` (+${more} more)` : ''}`;
}
