/**
 * The runbook as a journal holds it (inside session/started): already parsed, durations in ms,
 * checks as objects. A journal is untrusted, so its runbook is checked for everything the
 * selectors read before any of it reaches the reducer or the screen.
 */
import { z } from 'zod';

/** Names that would resolve to Object.prototype members when used as a record key. */
const PROTO_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** An id used as a record key in state: any string except the names of Object.prototype members. */
const key = z.string().refine((k) => !PROTO_KEYS.has(k), { message: 'is a reserved name (an Object.prototype member)' });

const ms = z.number().nonnegative();
const check = z.looseObject({ ratio: z.boolean(), op: z.enum(['>', '>=', '<', '<=', '==', '!=']), value: z.number(), text: z.string() });
const amount = z.union([z.looseObject({ count: z.number() }), z.looseObject({ percent: z.number() })]);
const host = z.looseObject({ host: z.string(), port: z.number().int().optional(), user: z.string().optional() });

const step = z
  .looseObject({
    id: key,
    title: z.string(),
    manual: z.literal(true).optional(),
    run: z
      .looseObject({ on: z.string(), command: z.string(), batch: amount.optional(), maxFail: amount.optional(), timeout: ms.optional() })
      .optional(),
    local: z
      .looseObject({ command: z.union([z.string(), z.array(z.string())]), shell: z.boolean().optional(), timeout: ms.optional() })
      .optional(),
    expect: z.looseObject({ panel: z.string(), check, within: ms.optional() }).optional(),
    http: z.looseObject({ url: z.string(), status: z.number().optional(), timeout: ms.optional() }).optional(),
    wait: ms.optional(),
  })
  .refine((s) => ['manual', 'run', 'local', 'expect', 'http', 'wait'].filter((k) => s[k] !== undefined).length === 1, {
    message: 'a step needs exactly one action',
  });

const panel = z.looseObject({
  id: key,
  title: z.string(),
  query: z.string().optional(),
  compare: z.looseObject({ canary: z.string(), baseline: z.string() }).optional(),
  unit: z.enum(['ratio', 'percent', 'seconds', 'bytes', 'rps', 'count']).optional(),
  warn: check.optional(),
  crit: check.optional(),
  interval: ms.optional(),
  range: ms.optional(),
  judge: z
    .looseObject({
      window: ms.optional(),
      step: z.number().positive().optional(),
      confidence: z.number().optional(),
      tolerance: z.number().optional(),
      direction: z.enum(['increase', 'decrease', 'either']).optional(),
      group: z.string().optional(),
      weight: z.number().optional(),
    })
    .optional(),
});

const phase = z.looseObject({
  id: key,
  title: z.string(),
  planned: ms.optional(),
  steps: z.array(step),
  gate: z
    .looseObject({ title: z.string(), description: z.string().optional(), approvals: z.union([z.literal(1), z.literal(2)]).optional() })
    .optional(),
});

const level = z.looseObject({
  id: key,
  title: z.string(),
  expected: ms.optional(),
  approvals: z.union([z.literal(1), z.literal(2)]).optional(),
  steps: z.array(step),
});

const trigger = z.looseObject({
  id: key,
  when: z.looseObject({ panel: z.string(), check, judge: z.enum(['marginal', 'pass', 'score']).optional() }),
  for: ms.optional(),
  severity: z.enum(['critical', 'major', 'minor', 'warning']),
  recommend: z.string(),
  auto: z.boolean().optional(),
  countdown: ms.optional(),
  onNoData: z.enum(['ignore', 'fire']).optional(),
});

/** A webhook of `notify:`: its url and headers are as written (`${VAR}`) or redacted; nothing replays them. */
const webhook = z.looseObject({
  id: z.string(),
  url: z.string(),
  format: z.enum(['slack', 'json']),
  on: z.array(z.string()).optional(),
  template: z.string().optional(),
  timeout: ms.optional(),
});

/** The journaled runbook: what replay, report and resume may rely on. */
export const JournaledRunbook = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  prometheus: z.looseObject({ url: z.string(), interval: ms.optional(), timeout: ms.optional() }).optional(),
  alertmanager: z.looseObject({ url: z.string() }).optional(),
  hosts: z.record(key, z.array(host)).optional(),
  health: z.array(panel).optional(),
  judge: z
    .looseObject({ pass: z.number().optional(), marginal: z.number().optional(), every: z.number().positive().optional() })
    .optional(),
  phases: z.array(phase),
  rollback: z.looseObject({ levels: z.array(level), triggers: z.array(trigger).optional() }).optional(),
  redact: z.array(z.string()).optional(),
  secrets: z.array(z.string()).optional(),
  notify: z.array(webhook).optional(),
});
