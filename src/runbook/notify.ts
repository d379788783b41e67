/**
 * The runbook's `notify:` section: webhooks told of the moments of a deploy that matter (a
 * trigger firing or resolved, a gate decided, a rollback, the end), as Slack's `{"text": …}` or a
 * generic JSON body. The names of those moments and of the template fields are the format;
 * delivering them is src/notify/'s. A webhook URL is a secret (anyone holding a Slack one can
 * post to the channel): its `${VAR}` values are redacted like credentials (secrets.ts).
 */
import { z } from 'zod';
import { duration, envString, id, TIMEOUT } from './fields.js';
import { expandForCheck } from './env-fields.js';
import { closest } from './problem.js';
import type { Finding } from './refs.js';
import type { Path } from './yaml-source.js';

/**
 * What a webhook may be told. `rollback/finished` is a rollback that went through,
 * `rollback/failed` one that did not, `rollback/aborted` one the operator (or the end) stopped.
 */
export const NOTIFY_EVENTS = [
  'trigger/firing',
  'trigger/resolved',
  'gate/decided',
  'rollback/confirmed',
  'rollback/finished',
  'rollback/failed',
  'rollback/aborted',
  'session/ended',
] as const;
/** One of NOTIFY_EVENTS. */
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** The fields a template may name as `{{field}}`; one that does not apply to the event is empty. */
export const TEMPLATE_FIELDS = [
  'event',
  'text',
  'runbook',
  'operator',
  'level',
  'phase',
  'decision',
  'trigger',
  'value',
  'check',
  'outcome',
  'reason',
  't',
  'elapsed',
] as const;
/** One of TEMPLATE_FIELDS. */
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** `{{ field }}` in a template; group 1 is what is between the braces. */
export const TEMPLATE_REF = /\{\{([^{}]*)\}\}/g;

/** Default per-request timeout of a webhook, in ms. */
export const NOTIFY_TIMEOUT_MS = 5000;

/** One webhook of the `notify:` list. */
export const NotifyWebhook = z
  .strictObject({
    id,
    url: envString('Webhook URL: https, or http only to this machine (127.0.0.1, ::1, localhost); its ${VAR} values are secrets'),
    format: z.enum(['slack', 'json']).describe('slack: {"text": …}; json: {"text", "event", "session"}'),
    on: z
      .array(z.enum(NOTIFY_EVENTS))
      .min(1)
      .optional()
      .describe(`What to tell this webhook (default: all of ${NOTIFY_EVENTS.join(', ')})`),
    template: z
      .string()
      .optional()
      .describe(`The message, with {{field}} from: ${TEMPLATE_FIELDS.join(', ')} (default: the timeline's line)`),
    headers: z.record(z.string(), envString('Header value')).optional().describe('Extra HTTP headers; values may use ${VAR} (secrets)'),
    timeout: duration('timeout', TIMEOUT).optional().describe('Per-request timeout (default 5s)'),
  })
  .describe('A webhook told of triggers, gates, rollbacks and the end of the session');

/** The `notify:` section. */
export const Notify = z.array(NotifyWebhook).describe('Webhooks to notify (Slack-compatible or generic JSON)');

/**
 * Why a webhook URL is refused, or undefined: https anywhere, plain http only to this machine
 * (a notification carries what happened, and its URL or headers a credential). Never quotes the
 * URL, which may be secret; the host is named.
 */
export function webhookUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL; write https://host/path';
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:')
    return isLoopback(u.hostname)
      ? undefined
      : `is plain http to ${u.hostname}; a webhook is https, or http only to this machine (127.0.0.1, ::1, localhost)`;
  return `is a ${u.protocol.replace(/:$/, '')} URL; a webhook is https (or http to this machine)`;
}

/** 127.0.0.0/8, ::1 and localhost: addresses that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The problems of the raw `notify:` data the schema cannot see: duplicate ids, a URL that is not
 * https (checked after `${VAR}`; `env` null skips that), unknown `{{field}}`s in templates.
 */
export function checkNotify(data: unknown, env: NodeJS.ProcessEnv | null): Finding[] {
  if (!isObj(data) || !Array.isArray(data.notify)) return [];
  const out: Finding[] = [];
  const ids = new Set<string>();
  data.notify.forEach((w, i) => {
    if (!isObj(w)) return;
    const at: Path = ['notify', i];
    if (typeof w.id === 'string') {
      if (ids.has(w.id)) out.push({ path: [...at, 'id'], message: `duplicate webhook id '${w.id}'; ids must be unique` });
      ids.add(w.id);
    }
    if (typeof w.url === 'string') {
      const u = expandForCheck(w.url, env);
      const why = u === undefined ? undefined : webhookUrlProblem(u);
      if (why) out.push({ path: [...at, 'url'], message: `the webhook url ${why}${u === w.url ? '' : ' (once its ${VAR} are expanded)'}` });
    }
    if (typeof w.template === 'string') out.push(...templateProblems(w.template).map((p) => ({ ...p, path: [...at, 'template'] })));
  });
  return out;
}

/** Unknown fields and unclosed `{{` in a template, each at its offset in the text. */
export function templateProblems(text: string): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  const known: readonly string[] = TEMPLATE_FIELDS;
  for (const m of text.matchAll(TEMPLATE_REF)) {
    const name = m[1].trim();
    if (known.includes(name)) continue;
    const guess = closest(name, known);
    out.push({
      offset: m.index,
      message: `unknown template field '${name}'${guess ? `; did you mean '${guess}'?` : ''} (fields: ${known.join(', ')})`,
    });
  }
  // A `{{` no `}}` closes would be sent as written: say so rather than post a broken message all night.
  const rest = text.replace(TEMPLATE_REF, (m) => ' '.repeat(m.length));
  const open = rest.indexOf('{{');
  if (open >= 0) out.push({ offset: open, message: "'{{' without its '}}'; a field is written {{field}}" });
  return out;
}
