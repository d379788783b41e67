/**
 * The body a webhook receives. `slack`: `{"text": …}`, what Slack's incoming webhooks (and
 * Mattermost, Rocket.Chat, Discord's /slack endpoint) read. `json`: the text, the journaled event
 * (with its seq) and who ran which session, for a receiver that wants to act on the fields.
 */
import type { SessionEvent } from '../core/events.js';
import type { SessionState } from '../core/state.js';
import type { NotifyEvent } from '../runbook/notify.js';
import { defaultText, fieldsOf, render, slackEscape } from './message.js';

/** What a webhook is told, and how. */
export interface BodySpec {
  format: 'slack' | 'json';
  template?: string;
}

/** The JSON text to POST for event `e` (seq `seq` when it is journaled already). */
export function bodyOf(spec: BodySpec, e: SessionEvent, seq: number | undefined, notice: NotifyEvent, state: SessionState): string {
  const slack = spec.format === 'slack';
  const quote = slack ? slackEscape : (s: string) => s;
  const text = spec.template !== undefined ? render(spec.template, fieldsOf(e, notice, state), quote) : quote(defaultText(e, state));
  if (slack) return JSON.stringify({ text });
  const s = state.session;
  return JSON.stringify({
    text,
    event: seq === undefined ? e : { seq, ...e },
    session: { id: s?.id ?? '', runbook: s?.runbook.name ?? '', operator: s?.operator ?? '' },
  });
}
