/**
 * The runbook format (DESIGN.md §1) as a zod schema. Field names are the format: extend, never
 * rename. Strings for durations, checks and amounts are validated here and turned into their
 * parsed forms, so the rest of cutover never re-parses them. Durations have a floor where zero
 * or a few milliseconds make no sense (a poll interval, a timeout, an auto-rollback countdown).
 */
import { z } from 'zod';
import { JUDGE_THRESHOLDS, parseCondition, type Condition } from './check.js';
import { applyCheckUnits } from './check-units.js';
import { amount, check, duration, envString, id, POLL_INTERVAL, TIMEOUT } from './fields.js';
import { normalizeHost } from './host.js';
import { PanelJudge, RunbookJudge } from './judge-fields.js';
import { MIN_SECRET_LENGTH, VAR_NAME } from './secrets.js';
import { Notify } from './notify.js';

export { normalizeHost, type HostSpec } from './host.js';

const Prometheus = z
  .strictObject({
    url: envString('Base URL of a Prometheus-compatible HTTP API'),
    interval: duration('prometheus.interval', POLL_INTERVAL).optional().describe('Instant-query poll interval (default 5s, at least 1s)'),
    timeout: duration('prometheus.timeout', TIMEOUT).optional().describe('Per-request timeout (default 4s, at least 100ms)'),
    headers: z.record(z.string(), envString('Header value')).optional().describe('Extra HTTP headers; values may use ${VAR}'),
    bearerToken: envString('Bearer token, normally "${VAR}"').optional(),
    basicAuth: z.strictObject({ username: envString('User name'), password: envString('Password, normally "${VAR}"') }).optional(),
  })
  .describe('The Prometheus (or Thanos, Mimir, VictoriaMetrics) to query');

const Alertmanager = z.strictObject({
  url: envString('Base URL of Alertmanager'),
  headers: z.record(z.string(), envString('Header value')).optional(),
  bearerToken: envString('Bearer token, normally "${VAR}"').optional(),
  basicAuth: z.strictObject({ username: envString('User name'), password: envString('Password, normally "${VAR}"') }).optional(),
  filter: z.array(z.string()).optional().describe('Alertmanager matchers, like severity="critical"'),
});

const Ssh = z
  .strictObject({
    user: envString('SSH user').optional(),
    port: z.number().int().min(1).max(65535).optional(),
    jump: envString('ProxyJump: [user@]host[:port][,...]').optional(),
    identityFile: envString('Private key file').optional(),
    knownHosts: envString('known_hosts file').optional(),
    strictHostKeys: z.enum(['yes', 'accept-new']).optional().describe('yes (default) or accept-new'),
    concurrency: z.number().int().min(1).max(1024).optional().describe('Hosts at once (default 32)'),
    connectTimeout: duration('ssh.connectTimeout', {
      at: '1s',
      noun: 'connect timeout',
      why: 'an SSH handshake takes several round trips',
    }).optional(),
    keepalive: duration('ssh.keepalive', { at: '1s', noun: 'keepalive interval' }).optional(),
  })
  .describe('Defaults for every host; ~/.ssh/config applies underneath');

const HostObject = z.strictObject({
  host: envString('Host name or address').min(1),
  port: z.number().int().min(1).max(65535).optional(),
  user: envString('SSH user').optional(),
  identityFile: envString('Private key file').optional(),
  jump: envString('ProxyJump').optional(),
});
const Host = z
  .union([z.string().min(1), HostObject], { error: 'a host is "name", "name:port" or {host, port, user}' })
  .transform((h) => normalizeHost(h));

const Panel = z
  .strictObject({
    id,
    title: z.string(),
    query: z.string().optional().describe('PromQL instant query'),
    compare: z.strictObject({ canary: z.string(), baseline: z.string() }).optional().describe('Canary against baseline'),
    unit: z.enum(['ratio', 'percent', 'seconds', 'bytes', 'rps', 'count']).optional(),
    warn: check('warn').optional(),
    crit: check('crit').optional(),
    interval: duration('interval', POLL_INTERVAL).optional().describe('Poll interval of this panel (at least 1s)'),
    range: duration('range', { at: '1m', noun: 'sparkline window' }).optional().describe('Sparkline window (default 15m, at least 1m)'),
    judge: PanelJudge.optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.query === undefined) === (p.compare === undefined))
      ctx.addIssue({ code: 'custom', message: 'a panel needs exactly one of query or compare', path: [] });
    if (p.judge && !p.compare)
      ctx.addIssue({
        code: 'custom',
        message: 'judge compares a canary with a baseline: it needs compare: {canary, baseline}',
        path: ['judge'],
      });
  });

const RunStep = z.strictObject({
  on: z.string().describe('Host group'),
  command: z.string().min(1),
  batch: amount('batch').optional(),
  maxFail: amount('maxFail').optional(),
  timeout: duration('timeout', TIMEOUT).optional(),
});
const LocalStep = z.strictObject({
  command: z.union([z.string().min(1), z.array(z.string()).min(1)], {
    error: 'command is an argv list ([kubectl, rollout, undo]) or a string with shell: true',
  }),
  shell: z.boolean().optional(),
  timeout: duration('timeout', TIMEOUT).optional(),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const ExpectStep = z.strictObject({
  panel: z.string(),
  check: check('check'),
  within: duration('within').optional().describe('Keep checking this long before failing (default: once)'),
});
const HttpStep = z.strictObject({
  url: z.string(),
  status: z.number().int().min(100).max(599).optional(),
  timeout: duration('timeout', TIMEOUT).optional(),
  headers: z.record(z.string(), envString('Header value')).optional(),
});

/** The step kinds; exactly one per step. */
export const STEP_KINDS = ['manual', 'run', 'local', 'expect', 'http', 'wait'] as const;

const Step = z
  .strictObject({
    id,
    title: z.string(),
    manual: z.literal(true).optional(),
    run: RunStep.optional(),
    local: LocalStep.optional(),
    expect: ExpectStep.optional(),
    http: HttpStep.optional(),
    wait: duration('wait', 'positive').optional(),
    parallel: z
      .boolean()
      .optional()
      .describe(
        'May start before the steps above it have passed or been skipped (by default a step waits for every earlier step of its phase and of the phases before it)',
      ),
  })
  .superRefine((s, ctx) => {
    const kinds = STEP_KINDS.filter((k) => s[k] !== undefined);
    if (kinds.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          kinds.length === 0
            ? `step '${s.id}' has no action; give it one of ${STEP_KINDS.join(', ')}`
            : `step '${s.id}' has ${kinds.join(' and ')}; a step does exactly one thing`,
      });
  });

/** How many people a decision needs: 2 makes the console wait for a second person's approval (cutover follow --approve). */
const approvals = z
  .union([z.literal(1), z.literal(2)], { message: 'approvals is 1 (the operator alone, the default) or 2 (a second person approves)' })
  .optional();

const Gate = z.strictObject({
  title: z.string(),
  description: z.string().optional(),
  approvals: approvals.describe('2: a GO waits for a second person to approve it (a NO-GO never waits: stopping takes one person)'),
});

const Phase = z.strictObject({
  id,
  title: z.string(),
  planned: duration('planned', 'positive').optional(),
  steps: z.array(Step),
  gate: Gate.optional(),
});

const Level = z.strictObject({
  id,
  title: z.string(),
  expected: duration('expected', 'positive').optional(),
  approvals: approvals.describe('2: confirming this level waits for a second person to approve it; no auto trigger may start it'),
  steps: z.array(Step).min(1),
});

const Trigger = z.strictObject({
  id,
  when: z
    .string()
    .refine((s) => parseCondition(s) !== undefined, {
      message:
        'when is not a condition; write "<panel> <op> <number>", like "error_rate > 0.05", "error_rate > 5%", "p95 > 500ms" or "p95 ratio > 2", or "judge < marginal" for the canary score',
    })
    .transform((s) => parseCondition(s) as Condition),
  for: duration('for').optional().describe('How long the condition must hold (default: fires at once)'),
  severity: z.enum(['critical', 'major', 'minor', 'warning']),
  recommend: z
    .string()
    .optional()
    .describe('Rollback level id; without it the trigger only informs (monitor, fix forward): it fires and shows, and recommends nothing'),
  auto: z.boolean().optional().describe('Start the recommended rollback after the countdown unless cancelled (needs recommend)'),
  countdown: duration('countdown', { at: '5s', noun: 'countdown', why: 'time to read it and cancel the rollback' }).optional(),
  onNoData: z.enum(['ignore', 'fire']).optional().describe('ignore (default): no data never fires'),
});

export const RunbookSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    prometheus: Prometheus.optional(),
    alertmanager: Alertmanager.optional(),
    ssh: Ssh.optional(),
    hosts: z.record(z.string(), z.array(Host)).optional(),
    health: z.array(Panel).optional(),
    judge: RunbookJudge.optional(),
    phases: z.array(Phase).min(1),
    rollback: z
      .strictObject({
        levels: z.array(Level).min(1),
        triggers: z.array(Trigger).optional(),
      })
      .optional(),
    redact: z.array(z.string()).optional().describe('Extra patterns (JS regex) to redact from output'),
    secrets: z
      .array(
        z
          .string()
          .regex(VAR_NAME, { message: 'a secrets entry is an environment variable name, like GITHUB_TOKEN (letters, digits and _)' }),
      )
      .optional()
      .describe(
        `Environment variables whose values are redacted wherever they appear (output of local and remote commands, errors, the journal); values shorter than ${MIN_SECRET_LENGTH} characters are refused`,
      ),
    notify: Notify.optional(),
  })
  .transform((rb, ctx) => {
    // Thresholds written in a unit (`> 5%`, `> 500ms`) become numbers in their panel's unit.
    const problems = applyCheckUnits(rb);
    resolveJudgeThresholds(rb);
    for (const p of problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    return problems.length ? z.NEVER : rb;
  })
  .describe('A cutover runbook: one deploy, its health, its checklist and its rollback');

/** `judge < marginal` and `judge < pass` compare the score with the runbook's thresholds. */
function resolveJudgeThresholds(rb: {
  judge?: { pass?: number; marginal?: number };
  rollback?: { triggers?: { when: Condition }[] };
}): void {
  for (const t of rb.rollback?.triggers ?? []) {
    const named = t.when.judge;
    if (named === 'pass' || named === 'marginal') t.when.check.value = rb.judge?.[named] ?? JUDGE_THRESHOLDS[named];
  }
}

/** A validated runbook with durations in ms, checks and amounts parsed. Plain JSON. */
export type Runbook = z.output<typeof RunbookSchema>;
export type Panel = Runbook extends { health?: (infer P)[] } ? P : never;
export type Phase = Runbook['phases'][number];
export type Step = Phase['steps'][number];
export type RollbackLevel = NonNullable<Runbook['rollback']>['levels'][number];
export type Trigger = NonNullable<NonNullable<Runbook['rollback']>['triggers']>[number];
export type Severity = Trigger['severity'];
export type Webhook = NonNullable<Runbook['notify']>[number];
export type StepKind = (typeof STEP_KINDS)[number];

/** The kind of a step (exactly one is set after validation). */
export function stepKind(s: Step): StepKind {
  return STEP_KINDS.find((k) => s[k] !== undefined) as StepKind;
}
