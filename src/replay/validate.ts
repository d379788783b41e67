/**
 * Event-by-event validation of untrusted journals: every event must have the shape the reducer
 * and the selectors rely on, or it is reported (with its line) and skipped. Nothing is rewritten:
 * an event that passes is folded exactly as it was journaled, so replay stays exact.
 */
import { OUTCOMES, type SessionEvent } from '../core/events.js';
import { arr, bool, either, int, key, num, nullable, obj, oneOf, opt, pair, record, str, time, type Check } from './checks.js';
import { JournaledRunbook } from './runbook-shape.js';

const sample = either(num, oneOf('NaN', '+Inf', '-Inf'));
const series = arr(obj({ labels: record(str), value: sample }));
const errorKind = oneOf('refused', 'dns', 'timeout', 'http', 'bad-response', 'query', 'network', 'config');
const trigger = { trigger: key, value: nullable(sample), check: str, since: time };
const source = obj({ user: str, pid: int, command: str });
const subject = either(
  obj({ kind: oneOf('gate'), phase: key, decision: oneOf('go', 'no-go') }),
  obj({ kind: oneOf('rollback'), level: str }),
);
/** The runbook inside session/started: zod, as it is one event per session and deeply nested. */
const runbook: Check = (v) => {
  const r = JournaledRunbook.safeParse(v);
  if (r.success) return undefined;
  const issue = r.error.issues[0];
  return `${issue.path.map(String).join('.')} ${issue.message.replace(/^Invalid (input|option): /, '')}`.trim();
};

/** Each event type's fields (besides type and t). */
const SHAPES: Record<string, Record<string, Check>> = {
  'session/started': {
    sessionId: str,
    runbook,
    runbookPath: str,
    runbookSha256: str,
    operator: str,
    mode: oneOf('live', 'demo'),
    version: str,
  },
  'session/resumed': {
    operator: str,
    afterSeq: num,
    runbook: opt(runbook),
    runbookPath: opt(str),
    runbookSha256: opt(str),
    runbookChanges: opt(str),
  },
  'session/ended': { outcome: oneOf(...OUTCOMES), reason: opt(str) },
  'metric/sampled': { panel: key, at: time, series, baseline: opt(series), warnings: opt(arr(str)) },
  'metric/failed': { panel: key, kind: errorKind, message: str, role: opt(oneOf('canary', 'baseline')) },
  'metric/range': { panel: key, from: time, step: num, points: arr(pair(time, sample)), baseline: opt(arr(pair(time, sample))) },
  'alerts/updated': { alerts: arr(obj({ name: str, severity: opt(str), summary: opt(str), startsAt: time, labels: record(str) })) },
  'alerts/failed': { kind: errorKind, message: str },
  'step/started': { phase: str, step: key, operator: opt(str) },
  'step/passed': { step: key, detail: opt(str) },
  'step/failed': { step: key, error: str },
  'step/skipped': { step: key, reason: str, operator: str },
  'command/started': { cmd: key, step: key, host: str, command: str, level: opt(str) },
  'command/output': { cmd: key, host: str, stream: oneOf('stdout', 'stderr'), text: str },
  'command/exited': { cmd: key, host: str, code: nullable(int), signal: opt(str), error: opt(str), ms: num },
  'gate/decided': { phase: key, decision: oneOf('go', 'no-go'), operator: str, reason: opt(str), approvedBy: opt(str) },
  'trigger/pending': trigger,
  'trigger/firing': trigger,
  'trigger/resolved': trigger,
  'rollback/recommended': { level: str, trigger: opt(str), reason: str, countdownUntil: opt(time) },
  'trigger/rearmed': { trigger: key, level: str, after: time },
  'rollback/confirmed': { level: str, operator: str, auto: opt(bool), graceMs: opt(num), approvedBy: opt(str) },
  'rollback/waited': { level: str, ms: num, running: arr(obj({ cmd: key, host: str })) },
  'rollback/step': { level: str, step: key, status: oneOf('started', 'passed', 'failed', 'skipped'), error: opt(str) },
  'rollback/finished': { level: str, ok: bool, ms: num, aborted: opt(bool) },
  'rollback/aborted': { level: str, operator: str, reason: opt(str) },
  'rollback/dismissed': { level: str, operator: str },
  'rollback/readiness': {
    levels: arr(obj({ level: key, ready: int, total: int, down: arr(obj({ host: str, error: str })) })),
  },
  'note/added': { operator: str, text: str },
  'mark/added': { kind: oneOf('info', 'warning', 'error', 'phase'), text: str, source },
  'approval/requested': { id: key, subject, operator: str, reason: opt(str) },
  'approval/decided': { id: key, decision: oneOf('approve', 'refuse', 'withdraw'), by: str, reason: opt(str), source: opt(source) },
  'notify/delivered': { webhook: key, event: str, eventSeq: opt(int), status: int, attempts: int, ms: num },
  'notify/failed': { webhook: key, event: str, eventSeq: opt(int), status: opt(int), attempts: int, ms: num, error: str },
  'judge/verdict': {
    score: num,
    verdict: oneOf('pass', 'marginal', 'fail', 'nodata'),
    pass: num,
    marginal: num,
    forced: opt(str),
    metrics: arr(
      obj({
        panel: key,
        group: str,
        critical: bool,
        mustHaveData: bool,
        confidence: num,
        window: obj({ start: time, end: time, step: num }),
        class: oneOf('High', 'Low', 'Pass', 'NoData'),
        canaryCount: int,
        baselineCount: int,
        canaryMean: nullable(num),
        baselineMean: nullable(num),
        u: opt(num),
        p: opt(num),
        estimate: opt(num),
        lower: opt(num),
        upper: opt(num),
        effect: nullable(num),
        why: str,
        error: opt(str),
      }),
    ),
  },
  'judge/decided': { decision: oneOf('go', 'no-go'), operator: str, reason: opt(str), score: num },
};
const CHECKS = new Map(Object.entries(SHAPES).map(([type, shape]) => [type, obj({ t: time, ...shape })]));

/** An event that passed, or why it did not (one line, naming the field). */
export type Checked = { ok: true; event: SessionEvent } | { ok: false; message: string };

/** Validates one parsed journal event; fields it does not know (seq, hash, newer ones) are let through untouched. */
export function checkEvent(value: unknown): Checked {
  const type = (value as { type?: unknown } | null)?.type;
  const check = typeof type === 'string' ? CHECKS.get(type) : undefined;
  if (!check) return { ok: false, message: `unknown event type ${JSON.stringify(type ?? null).slice(0, 60)}` };
  const m = check(value);
  return m === undefined ? { ok: true, event: value as SessionEvent } : { ok: false, message: `${type}: ${m}` };
}
