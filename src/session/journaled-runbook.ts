/**
 * The runbook as `session/started` journals it: every string through the same redaction as
 * command lines and output (secret values, the runbook's `redact` patterns, token shapes), so a
 * token pasted into a command is no more kept in the runbook copy than in `command/started`.
 * The session runs the runbook it was given; the copy is for the screen, replay and report.
 */
import { Redactor } from '../drivers/exec/redact.js';
import type { Runbook } from '../runbook/schema.js';
import { secretValues } from '../runbook/secrets.js';

/**
 * Fields left as written: ids and references that events and other fields are matched against
 * (a redacted one would break replay), enum values, host names (events name hosts unredacted),
 * and the names (never the values) of the secret variables.
 */
const KEEP = new Set(['id', 'on', 'panel', 'recommend', 'unit', 'severity', 'strictHostKeys', 'onNoData', 'op', 'host', 'secrets']);

/** The copy of `runbook` to journal, with the secrets of `env` (and every pattern) redacted. */
export function journaledRunbook(runbook: Runbook, env: NodeJS.ProcessEnv): Runbook {
  return redactRunbook(runbook, new Redactor(runbook.redact ?? [], secretValues(runbook, env)));
}

/** `runbook` with every string but the KEEP fields passed through `redactor`; numbers, booleans and keys stay. */
export function redactRunbook(runbook: Runbook, redactor: Redactor): Runbook {
  return walk(runbook, redactor) as Runbook;
}

function walk(v: unknown, r: Redactor, key?: string): unknown {
  if (typeof v === 'string') return key !== undefined && KEEP.has(key) ? v : r.text(v);
  // A list's items are kept or redacted as the list's own field is (the `secrets` names).
  if (Array.isArray(v)) return v.map((x) => walk(x, r, key));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, r, k)]));
  return v;
}
