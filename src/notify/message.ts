/**
 * What a notification says: which moment an event is (`noticeOf`), the template fields it fills,
 * and the default text, written as the timeline tells it (the story's words for triggers, the raw
 * line for the rest). Everything comes from the journaled copies (redacted event and runbook), so
 * a message holds nothing the journal does not. Templates substitute `{{field}}`; no code runs.
 */
import { sampleNumber, type SessionEvent } from '../core/events.js';
import { formatCheck, formatRatio, formatValue } from '../core/format.js';
import type { SessionState } from '../core/state.js';
import { describeEvent } from '../core/select-timeline.js';
import { triggerLine } from '../core/story-text.js';
import { formatElapsed } from '../runbook/duration.js';
import { TEMPLATE_REF, type NotifyEvent, type TemplateField } from '../runbook/notify.js';

/** The notify event an event is, or undefined for the many a webhook is never told. */
export function noticeOf(e: SessionEvent): NotifyEvent | undefined {
  switch (e.type) {
    case 'trigger/firing':
    case 'trigger/resolved':
    case 'gate/decided':
    case 'rollback/confirmed':
    case 'rollback/aborted':
    case 'session/ended':
      return e.type;
    case 'rollback/finished':
      // An aborted run was told by its rollback/aborted already.
      return e.ok ? 'rollback/finished' : e.aborted ? undefined : 'rollback/failed';
    default:
      return undefined;
  }
}

/** The values of the template fields for event `e` (a field that does not apply is empty). */
export function fieldsOf(e: SessionEvent, notice: NotifyEvent, state: SessionState): Record<TemplateField, string> {
  const s = state.session;
  const f: Record<TemplateField, string> = {
    event: notice,
    text: defaultText(e, state),
    runbook: s?.runbook.name ?? '',
    operator: s?.operator ?? '',
    level: '',
    phase: '',
    decision: '',
    trigger: '',
    value: '',
    check: '',
    outcome: '',
    reason: '',
    t: new Date(e.t).toISOString(),
    elapsed: s ? formatElapsed(e.t - s.startedAt) : '',
  };
  switch (e.type) {
    case 'trigger/firing':
    case 'trigger/resolved': {
      const def = s?.runbook.rollback?.triggers?.find((t) => t.id === e.trigger);
      const unit = s?.runbook.health?.find((p) => p.id === def?.when.panel)?.unit;
      f.trigger = e.trigger;
      f.value = e.value === null ? 'no data' : def?.when.check.ratio ? formatRatio(sampleNumber(e.value)) : formatValue(e.value, unit);
      f.check = def ? formatCheck(def.when.check, unit) : e.check;
      break;
    }
    case 'gate/decided':
      Object.assign(f, { phase: e.phase, decision: e.decision, operator: e.operator, reason: e.reason ?? '' });
      break;
    case 'rollback/confirmed':
      Object.assign(f, { level: e.level, operator: e.operator });
      break;
    case 'rollback/finished':
      Object.assign(f, { level: e.level, outcome: e.ok ? 'finished' : 'failed' });
      break;
    case 'rollback/aborted':
      Object.assign(f, { level: e.level, operator: e.operator, outcome: 'aborted', reason: e.reason ?? '' });
      break;
    case 'session/ended':
      Object.assign(f, { outcome: e.outcome, reason: e.reason ?? '' });
      break;
  }
  return f;
}

/** The default message: `[runbook] T+MM:SS <the timeline's line>`. */
export function defaultText(e: SessionEvent, state: SessionState): string {
  const s = state.session;
  let line: string;
  if (e.type === 'trigger/firing' || e.type === 'trigger/resolved') {
    const rb = s?.runbook;
    const def = rb?.rollback?.triggers?.find((t) => t.id === e.trigger);
    line = triggerLine(e, def, new Map((rb?.health ?? []).map((p) => [p.id, p])))[2];
  } else line = describeEvent(e)[1];
  return s ? `[${s.runbook.name}] ${formatElapsed(e.t - s.startedAt)} ${line}` : line;
}

/** `template` with each `{{field}}` replaced by its value, passed through `quote` (Slack's `&<>`). */
export function render(template: string, fields: Record<TemplateField, string>, quote: (s: string) => string = (s) => s): string {
  return template.replace(TEMPLATE_REF, (_, name: string) => {
    const k = name.trim();
    // Own fields only: `{{constructor}}` must not reach Object.prototype (validate refuses it anyway).
    return Object.hasOwn(fields, k) ? quote(fields[k as TemplateField]) : '';
  });
}

/** Slack reads `&`, `<` and `>` as markup; in values they are text. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
