/**
 * The runbook format (DESIGN.md §1) as a zod schema. Field names are the format: extend, never
 * rename. Strings for durations, checks and amounts are validated here and turned into their
 * parsed forms, so the rest of cutover never re-parses them.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { CHECK_PATTERN, parseCheck, parseCondition, type Check, type Condition } from './check.js';
import { AMOUNT_PATTERN, parseAmount, type Amount } from './amount.js';

const ID_PATTERN = /^[A-Za-z_][\w-]*$/;

const id = z
  .string()
  .regex(ID_PATTERN, { message: 'an id starts with a letter or _ and holds only letters, digits, _ and -' })
  .describe('Unique id: letters, digits, _ and -');

const duration = (what: string) =>
  z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `${what} ${iss.input} has no unit; write it with one, like ${iss.input}s or ${iss.input}ms`
          : `${what} must be a duration such as 30s or 2m`,
    })
    .regex(new RegExp(DURATION_PATTERN), {
      message: `${what} is not a duration; write a number and a unit, like 500ms, 30s, 2m or 1h30m`,
    })
    .transform((s) => parseDuration(s) as number)
    .describe(`${what}: a duration such as 500ms, 30s, 2m or 1h30m`);

const check = (what: string) =>
  z
    .string({ error: `${what} must be a quoted check, like "> 0.05" or "ratio > 2"` })
    .regex(new RegExp(CHECK_PATTERN), {
      message: `${what} is not a check; write an operator and a number, like "> 0.05", "<= 99.5" or "ratio > 2"`,
    })
    .transform((s) => parseCheck(s) as Check)
    .describe(`${what}: an operator and a number ("> 0.05", "<= 99.5"), or "ratio > 2" on a compare panel`);

const amount = (what: string) =>
  z
    .union([z.number().int().nonnegative(), z.string().regex(new RegExp(AMOUNT_PATTERN))], {
      error: `${what} must be a whole number of hosts (2) or a percentage ("25%")`,
    })
    .transform((v, ctx) => {
      const a = parseAmount(v) as Amount;
      if ('percent' in a && a.percent > 100) {
        ctx.addIssue({ code: 'custom', message: `${what} is ${a.percent}%, more than 100%` });
        return z.NEVER;
      }
      return a;
    })
    .describe(`${what}: a number of hosts or a percentage of the group`);

const envString = z.string().describe('Text; ${VAR} is taken from the environment when used, and never journaled');

const Prometheus = z
  .strictObject({
    url: z.string().describe('Base URL of a Prometheus-compatible HTTP API'),
    interval: duration('interval').optional().describe('Instant-query poll interval (default 5s)'),
    timeout: duration('timeout').optional().describe('Per-request timeout (default 4s)'),
    headers: z.record(z.string(), envString).optional().describe('Extra HTTP headers; values may use ${VAR}'),
    bearerToken: envString.optional().describe('Bearer token, normally "${VAR}"'),
    basicAuth: z.strictObject({ username: envString, password: envString }).optional(),
  })
  .describe('The Prometheus (or Thanos, Mimir, VictoriaMetrics) to query');

const Alertmanager = z.strictObject({
  url: z.string().describe('Base URL of Alertmanager'),
  headers: z.record(z.string(), envString).optional(),
  bearerToken: envString.optional(),
  basicAuth: z.strictObject({ username: envString, password: envString }).optional(),
  filter: z.array(z.string()).optional().describe('Alertmanager matchers, like severity="critical"'),
});

const Ssh = z
  .strictObject({
    user: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    jump: z.string().optional().describe('ProxyJump: [user@]host[:port][,...]'),
    identityFile: z.string().optional(),
    knownHosts: z.string().optional(),
    strictHostKeys: z.enum(['yes', 'accept-new']).optional().describe('yes (default) or accept-new'),
    concurrency: z.number().int().min(1).max(1024).optional().describe('Hosts at once (default 32)'),
    connectTimeout: duration('connectTimeout').optional(),
    keepalive: duration('keepalive').optional(),
  })
  .describe('Defaults for every host; ~/.ssh/config applies underneath');

const HostObject = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().optional(),
  identityFile: z.string().optional(),
  jump: z.string().optional(),
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
    interval: duration('interval').optional(),
    range: duration('range').optional().describe('Sparkline window (default 15m)'),
  })
  .superRefine((p, ctx) => {
    if ((p.query === undefined) === (p.compare === undefined))
      ctx.addIssue({ code: 'custom', message: 'a panel needs exactly one of query or compare', path: [] });
  });

const RunStep = z.strictObject({
  on: z.string().describe('Host group'),
  command: z.string().min(1),
  batch: amount('batch').optional(),
  maxFail: amount('maxFail').optional(),
  timeout: duration('timeout').optional(),
});
const LocalStep = z.strictObject({
  command: z.union([z.string().min(1), z.array(z.string()).min(1)], {
    error: 'command is an argv list ([kubectl, rollout, undo]) or a string with shell: true',
  }),
  shell: z.boolean().optional(),
  timeout: duration('timeout').optional(),
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
  timeout: duration('timeout').optional(),
  headers: z.record(z.string(), envString).optional(),
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
    wait: duration('wait').optional(),
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

const Gate = z.strictObject({
  title: z.string(),
  description: z.string().optional(),
});

const Phase = z.strictObject({
  id,
  title: z.string(),
  planned: duration('planned').optional(),
  steps: z.array(Step),
  gate: Gate.optional(),
});

const Level = z.strictObject({
  id,
  title: z.string(),
  expected: duration('expected').optional(),
  steps: z.array(Step).min(1),
});

const Trigger = z.strictObject({
  id,
  when: z
    .string()
    .refine((s) => parseCondition(s) !== undefined, {
      message: 'when is not a condition; write "<panel> <op> <number>", like "error_rate > 0.05" or "p95 ratio > 2"',
    })
    .transform((s) => parseCondition(s) as Condition),
  for: duration('for').optional().describe('How long the condition must hold (default: fires at once)'),
  severity: z.enum(['critical', 'major', 'minor', 'warning']),
  recommend: z.string().describe('Rollback level id'),
  auto: z.boolean().optional().describe('Start the rollback after the countdown unless cancelled'),
  countdown: duration('countdown').optional(),
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
    phases: z.array(Phase).min(1),
    rollback: z
      .strictObject({
        levels: z.array(Level).min(1),
        triggers: z.array(Trigger).optional(),
      })
      .optional(),
    redact: z.array(z.string()).optional().describe('Extra patterns (JS regex) to redact from output'),
  })
  .describe('A cutover runbook: one deploy, its health, its checklist and its rollback');

/** A host after normalization: always an object. */
export interface HostSpec {
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  jump?: string;
}

/** Turns `name`, `name:port`, `[v6]:port` or `{host, ...}` into a HostSpec. */
export function normalizeHost(h: string | HostSpec): HostSpec {
  if (typeof h !== 'string') return stripUndefined({ ...h });
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(h);
  if (v6) return v6[2] ? { host: v6[1], port: Number(v6[2]) } : { host: v6[1] };
  const m = /^([^:]+):(\d+)$/.exec(h);
  return m ? { host: m[1], port: Number(m[2]) } : { host: h };
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** A validated runbook with durations in ms, checks and amounts parsed. Plain JSON. */
export type Runbook = z.output<typeof RunbookSchema>;
export type Panel = Runbook extends { health?: (infer P)[] } ? P : never;
export type Phase = Runbook['phases'][number];
export type Step = Phase['steps'][number];
export type RollbackLevel = NonNullable<Runbook['rollback']>['levels'][number];
export type Trigger = NonNullable<NonNullable<Runbook['rollback']>['triggers']>[number];
export type Severity = Trigger['severity'];
export type StepKind = (typeof STEP_KINDS)[number];

/** The kind of a step (exactly one is set after validation). */
export function stepKind(s: Step): StepKind {
  return STEP_KINDS.find((k) => s[k] !== undefined) as StepKind;
}
