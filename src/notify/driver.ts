/**
 * The notifier: a driver of the session that tells the runbook's webhooks (`notify:`) of the
 * moments they asked for, and journals each delivery's result (`notify/delivered`,
 * `notify/failed`). It hears events as the session folds them (a decision once it is on disk) and
 * only queues: delivery runs beside the console, one request at a time per webhook, so a slow or
 * dead webhook never slows a keystroke or a decision. URLs and headers are expanded from the
 * environment at each request, as the Prometheus client does, and never leave memory otherwise.
 * At the end, the webhooks get a short grace to take the last notifications (session/ended
 * among them); what they did not take by then is journaled as not delivered, and the exit goes on.
 */
import type { SessionEnded, SessionEvent } from '../core/events.js';
import type { DriverContext } from '../drivers/context.js';
import { expandEnv } from '../runbook/env.js';
import { formatDuration } from '../runbook/duration.js';
import { NOTIFY_EVENTS, NOTIFY_TIMEOUT_MS, webhookUrlProblem, type NotifyEvent } from '../runbook/notify.js';
import type { Runbook, Webhook } from '../runbook/schema.js';
import type { Driver } from '../session/session.js';
import { bodyOf } from './body.js';
import { noticeOf } from './message.js';
import { postJson, type PostResult } from './post.js';
import { WebhookQueue, type Delivery, type Notice } from './queue.js';

/** How the notifier runs: the environment for `${VAR}`, the grace at the end, the queue's limits. */
export interface NotifierOptions {
  env: NodeJS.ProcessEnv;
  /** How long the end waits for the last notifications (default 3 s). */
  graceMs?: number;
  max?: number;
  attempts?: number;
  random?: () => number;
}

/** Default grace at the end of the session. */
export const END_GRACE_MS = 3000;

/** A driver with the last word before session/ended. */
export type Notifier = Driver & { beforeEnd(ended: SessionEnded): Promise<void> };

/** Starts notifying the runbook's webhooks; undefined when it has none (or the context cannot be observed). */
export function startNotifier(runbook: Runbook, ctx: DriverContext, o: NotifierOptions): Notifier | undefined {
  const hooks = runbook.notify ?? [];
  if (!hooks.length || !ctx.observe || !ctx.state) return undefined;
  const state = ctx.state;
  const outs = hooks.map((w) => ({
    w,
    on: new Set<NotifyEvent>(w.on ?? NOTIFY_EVENTS),
    queue: new WebhookQueue({
      send: (body, signal) => send(w, body, signal, o.env),
      report: (n, d) => ctx.emit(result(w.id, n, d, ctx.now())),
      ...(o.max !== undefined ? { max: o.max } : {}),
      ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
      ...(o.random ? { random: o.random } : {}),
    }),
  }));
  const tell = (e: SessionEvent, seq: number | undefined) => {
    const notice = noticeOf(e);
    if (!notice) return;
    for (const out of outs)
      if (out.on.has(notice))
        out.queue.push({
          event: notice,
          ...(seq !== undefined ? { seq } : {}),
          body: bodyOf(out.w, e, seq, notice, state()),
          queuedAt: ctx.now(),
        });
  };
  const unobserve = ctx.observe(tell);
  const grace = o.graceMs ?? END_GRACE_MS;
  return {
    // Delivery goes on after the other drivers stop: the session's last events are still to be told.
    stop: () => {},
    async beforeEnd(ended) {
      unobserve();
      // Not journaled yet: told without a seq, and its result journaled before it.
      tell(ended, undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(outs.map((x) => x.queue.idle())), new Promise<void>((r) => (timer = setTimeout(r, grace)))]).finally(
        () => clearTimeout(timer),
      );
      for (const x of outs)
        x.queue.close(`not delivered: the session ended (cutover waits ${formatDuration(grace)} for the last notifications)`);
    },
  };
}

/** One POST to webhook `w`, its URL and headers expanded now; a missing variable or a refused URL is final. */
function send(w: Webhook, body: string, signal: AbortSignal, env: NodeJS.ProcessEnv): Promise<PostResult> {
  let url: URL;
  const headers: Record<string, string> = {};
  try {
    url = new URL(expandEnv(w.url, env, `the url of webhook ${w.id}`));
    for (const [k, v] of Object.entries(w.headers ?? {})) headers[k] = expandEnv(v, env, `header ${k} of webhook ${w.id}`);
  } catch (e) {
    // MissingEnvError names the variable, never a value; a URL that does not parse is not quoted.
    const message = e instanceof TypeError ? 'the webhook url is not a URL once its ${VAR} are expanded' : (e as Error).message;
    return Promise.resolve({ ok: false, retry: false, error: message });
  }
  const why = webhookUrlProblem(url.href);
  if (why) return Promise.resolve({ ok: false, retry: false, error: `the webhook url ${why}` });
  return postJson({ url, headers, timeoutMs: w.timeout ?? NOTIFY_TIMEOUT_MS }, body, signal);
}

/** The journal's record of one notification. */
function result(webhook: string, n: Notice, d: Delivery, now: number): SessionEvent {
  const common = {
    t: now,
    webhook,
    event: n.event,
    ...(n.seq !== undefined ? { eventSeq: n.seq } : {}),
    attempts: d.attempts,
    ms: now - n.queuedAt,
  };
  return d.ok
    ? { type: 'notify/delivered', ...common, status: d.status }
    : { type: 'notify/failed', ...common, ...(d.status !== undefined ? { status: d.status } : {}), error: d.error };
}
