/**
 * The story of a session: which events make a timeline line, and what it says. Samples, sparkline
 * refreshes and command output never do; a panel makes a line when its status changes (status
 * decided by the health pane's own `panelRow`), alerts when one starts or stops firing, Alertmanager
 * when it first fails and when it answers again, a command when it starts and when it exits (with
 * a summary of its output). The rest make the line the raw view makes, triggers with their value
 * and condition in the panel's unit (the words are in story-text.ts).
 *
 * Incremental: `StoryIndex.add` is fed every event once, in order (the live event log, replay's
 * index, the report's pass), and keeps what the next line needs (each panel's last status, the
 * alerts firing, each running command's output count). Nothing scans the events again. Pure and
 * deterministic: the same events give the same story, live, in replay and in the report.
 */
import type { Panel, Runbook, Trigger } from '../runbook/schema.js';
import type {
  Alert,
  AlertsFailed,
  AlertsUpdated,
  CommandExited,
  CommandOutput,
  MetricFailed,
  MetricSampled,
  SessionEvent,
} from './events.js';
import { DEFAULT_INTERVAL_MS, panelRow, type PanelStatus } from './select-health.js';
import { stamped, type LineKind, type LineSeverity, type TimelineLine } from './select-timeline.js';
import type { PanelState } from './state.js';
import { alertsLine, judgeLine, outputSummary, panelText, raw, statusSeverity, triggerLine, type Made } from './story-text.js';

/** A line of the story, and the index of the event it tells (in the session's order). */
export interface StoryLine extends TimelineLine {
  index: number;
}

/** The story as the timeline pane reads it: the whole of it (live) or up to replay's position. */
export interface StoryList {
  readonly length: number;
  /** Line `k`, 0 <= k < length, oldest first. */
  get(k: number): StoryLine;
  /** How many lines tell events before event `n`. */
  before(n: number): number;
  /** Line `k`'s text and kind alone: a filter scans them without stamping every line. */
  text(k: number): string;
  kind(k: number): LineKind;
}

const KINDS: LineKind[] = ['session', 'metric', 'step', 'command', 'output', 'gate', 'trigger', 'rollback', 'note', 'error'];
const SEVERITIES: LineSeverity[] = ['crit', 'warn', 'ok', 'info'];

/** A running command's output so far: lines begun per stream, and the last non-empty line. */
interface OutputCount {
  lines: number;
  last: string;
  /** The stream's last chunk did not end with a newline: its next chunk continues that line. */
  open: { stdout: boolean; stderr: boolean };
  /** The open line of each stream so far (its first PARTIAL_MAX characters), so a line split across chunks is told whole. */
  partial: { stdout: string; stderr: string };
}

/** Characters kept of a line still being written: the summary shows its start. */
const PARTIAL_MAX = 1024;

/** The story of one session, built event by event; lines are kept as columns (a replay may tell tens of thousands). */
export class StoryIndex implements StoryList {
  private readonly indices: number[] = [];
  private readonly times: number[] = [];
  /** kind * 4 + severity. */
  private readonly codes: number[] = [];
  private readonly texts: string[] = [];
  private start: number | undefined;
  private panels = new Map<string, Panel>();
  private triggers = new Map<string, Trigger>();
  private stepTitles = new Map<string, string>();
  private readonly status = new Map<string, PanelStatus>();
  private alerts = new Map<string, Alert>();
  private alertsDown = false;
  private readonly outputs = new Map<string, OutputCount>();
  private verdict: string | undefined;

  /** Lines told so far. */
  get length(): number {
    return this.indices.length;
  }

  /** Line `k`. */
  get(k: number): StoryLine {
    const code = this.codes[k];
    const line = stamped(this.times[k], this.start ?? 0, KINDS[code >> 2], SEVERITIES[code & 3], this.texts[k]);
    return { ...line, index: this.indices[k] };
  }

  /** Line `k`'s text. */
  text(k: number): string {
    return this.texts[k];
  }

  /** Line `k`'s kind. */
  kind(k: number): LineKind {
    return KINDS[this.codes[k] >> 2];
  }

  /** How many lines tell events before event `n` (replay shows the story up to its position). */
  before(n: number): number {
    let lo = 0;
    let hi = this.indices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.indices[mid] < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Takes the next event (`index`: its place in the session's events); adds its line when it makes one. */
  add(e: SessionEvent, index: number): void {
    this.start ??= e.t;
    const made = this.tell(e);
    if (!made) return;
    this.indices.push(index);
    this.times.push(e.t);
    this.codes.push(KINDS.indexOf(made[0]) * 4 + SEVERITIES.indexOf(made[1]));
    this.texts.push(flat(made[2]));
  }

  /** What the story looks up in the runbook. */
  private learn(rb: Runbook): void {
    this.panels = new Map((rb.health ?? []).map((p) => [p.id, p]));
    this.triggers = new Map((rb.rollback?.triggers ?? []).map((t) => [t.id, t]));
    this.stepTitles = new Map(rb.phases.flatMap((ph) => ph.steps.map((s) => [s.id, s.title] as const)));
  }

  private tell(e: SessionEvent): Made | undefined {
    switch (e.type) {
      case 'session/started':
        this.learn(e.runbook);
        return raw(e);
      case 'session/resumed':
        // Resumed with an edited runbook: its panels, triggers and step titles from here on.
        if (e.runbook) this.learn(e.runbook);
        return raw(e);
      case 'metric/sampled':
      case 'metric/failed':
        return this.panelChange(e);
      case 'metric/range':
        return undefined;
      case 'notify/delivered':
        // A notification that went out is the journal's business; one that did not is told (raw).
        return undefined;
      case 'alerts/updated':
        return this.alertsChange(e);
      case 'alerts/failed':
        return this.alertsFailed(e);
      case 'step/started': {
        const title = this.stepTitles.get(e.step);
        return ['step', 'info', `step ${e.step} started${title && title !== e.step ? `: ${title}` : ''}`];
      }
      case 'command/started':
        this.outputs.set(e.cmd, { lines: 0, last: '', open: { stdout: false, stderr: false }, partial: { stdout: '', stderr: '' } });
        return raw(e);
      case 'command/output':
        this.output(e);
        return undefined;
      case 'command/exited':
        return this.exited(e);
      case 'trigger/pending':
      case 'trigger/firing':
      case 'trigger/resolved':
        return triggerLine(e, this.triggers.get(e.trigger), this.panels);
      case 'judge/verdict':
        // A line when the verdict changes; the judgments in between only refresh the figures.
        if (e.verdict === this.verdict) return undefined;
        {
          const first = this.verdict === undefined;
          this.verdict = e.verdict;
          // Like a panel's first ok status: a canary that starts out fine, or without traffic yet, says nothing.
          if (first && (e.verdict === 'pass' || e.verdict === 'nodata')) return undefined;
        }
        return judgeLine(e, this.panels);
      default:
        return raw(e);
    }
  }

  /** A line when the panel's status differs from its last one; a first status that is ok says nothing. */
  private panelChange(e: MetricSampled | MetricFailed): Made | undefined {
    const p = this.panels.get(e.panel);
    if (!p) return undefined;
    const ps: PanelState =
      e.type === 'metric/sampled'
        ? { sample: { t: e.t, at: e.at, series: e.series, ...(e.baseline ? { baseline: e.baseline } : {}) } }
        : { error: { t: e.t, kind: e.kind, message: e.message, since: e.t } };
    // Judged at the event's own time: a sample is never stale when it arrives.
    const row = panelRow(p, ps, e.t, DEFAULT_INTERVAL_MS);
    const prev = this.status.get(e.panel);
    if (row.status === prev) return undefined;
    this.status.set(e.panel, row.status);
    if (prev === undefined && row.status === 'ok') return undefined;
    return ['metric', statusSeverity(row.status), panelText(p, row, prev)];
  }

  private alertsChange(e: AlertsUpdated): Made | undefined {
    const now = new Map(e.alerts.map((a) => [alertKey(a), a]));
    const started = [...now].filter(([k]) => !this.alerts.has(k)).map(([, a]) => a);
    const stopped = [...this.alerts].filter(([k]) => !now.has(k)).map(([, a]) => a);
    const back = this.alertsDown;
    this.alerts = now;
    this.alertsDown = false;
    if (!started.length && !stopped.length && !back) return undefined;
    return alertsLine(started, stopped, back);
  }

  /** The first failure of a run of them: the next ones say nothing new. */
  private alertsFailed(e: AlertsFailed): Made | undefined {
    if (this.alertsDown) return undefined;
    this.alertsDown = true;
    return ['error', 'warn', `alerts: cannot read Alertmanager (${e.kind}): ${e.message}`];
  }

  private output(e: CommandOutput): void {
    const o = this.outputs.get(e.cmd);
    if (!o || e.text === '') return;
    let newlines = 0;
    for (let i = e.text.indexOf('\n'); i !== -1; i = e.text.indexOf('\n', i + 1)) newlines++;
    const ends = e.text.endsWith('\n');
    // Lines begun: the first one, unless it continues an open line; one after each newline but a final one.
    const open = o.open[e.stream];
    o.lines += (open ? 0 : 1) + newlines - (ends ? 1 : 0);
    o.open[e.stream] = !ends;
    const body = ends ? e.text.slice(0, -1) : e.text;
    const at = body.lastIndexOf('\n');
    // The chunk's last line, joined to the open line it continues when the chunk has no newline before it.
    const last = at < 0 && open ? (o.partial[e.stream] + body).slice(0, PARTIAL_MAX) : body.slice(at + 1, at + 1 + PARTIAL_MAX);
    o.partial[e.stream] = ends ? '' : last;
    if (last.trim() !== '') o.last = last;
  }

  private exited(e: CommandExited): Made {
    const o = this.outputs.get(e.cmd);
    this.outputs.delete(e.cmd);
    const [kind, severity, text] = raw(e);
    return [kind, severity, text + (o ? outputSummary(o.lines, o.last) : '')];
  }
}

/** The story of a list of events, whole (tests, one-off reads). */
export function storyOf(events: Iterable<SessionEvent>): StoryLine[] {
  const s = new StoryIndex();
  let i = 0;
  for (const e of events) s.add(e, i++);
  return Array.from({ length: s.length }, (_, k) => s.get(k));
}

function alertKey(a: Alert): string {
  return `${a.name}\u0000${JSON.stringify(a.labels)}`;
}

/**
 * A flat copy of the text: V8 keeps a string built by concatenation as a tree of its parts, and a
 * replay keeps tens of thousands of lines (about 100 bytes a line flat, 250 as trees, measured on a
 * million-event journal). A JSON round trip copies into one flat string; reading a character to
 * flatten it in place can be optimized away.
 */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
