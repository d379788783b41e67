/**
 * Which environment values are secrets: those of every `${VAR}` a runbook uses for a credential
 * (Prometheus and Alertmanager headers, bearerToken, basicAuth password; http steps' headers;
 * webhooks' headers and URLs, a Slack webhook URL being a credential in itself) and of every
 * variable in its `secrets:` list; and each webhook's whole URL. Their values are redacted as literal text
 * wherever they appear: command output, command lines, error messages, the journaled runbook.
 */
import { ENV_REF } from './env.js';
import { expandForCheck } from './env-fields.js';
import type { Finding } from './refs.js';

/**
 * The shortest value redacted as a literal. Shorter values would hide ordinary output (a tenant
 * `prod`, a pin `1234`); GitLab refuses to mask CI variables under 8 characters for the same reason.
 */
export const MIN_SECRET_LENGTH = 8;

/** A variable name as `${NAME}` and `secrets:` write it. */
export const VAR_NAME = /^[A-Za-z_]\w*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
/** The items of a list, or none when it is not one (the schema reports that). */
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The parts of a value that redaction looks for: each of its lines (output is redacted line by
 * line, so a multi-line secret, a PEM body, is found line by line), those long enough to redact.
 */
export function secretParts(value: string): string[] {
  return value.split(/\r?\n/).filter((l) => l.length >= MIN_SECRET_LENGTH);
}

/** Header names whose values are credentials (a header such as Content-Type is not). */
const CREDENTIAL_HEADER = /auth|token|key|secret|password|passwd|cookie|session|signature/i;

/**
 * The texts of the runbook's credential fields (raw YAML data or a parsed runbook: both have the
 * same strings there). `literal`: the field is a credential itself when written out (a bearerToken,
 * a password, a credential header, a webhook URL), not only through the `${VAR}`s in it.
 */
function credentialFields(rb: Obj): { text: string; literal: boolean }[] {
  const out: { text: string; literal: boolean }[] = [];
  const auth = (s: unknown) => {
    if (!isObj(s)) return;
    if (isObj(s.headers))
      for (const [k, v] of Object.entries(s.headers)) if (isStr(v)) out.push({ text: v, literal: CREDENTIAL_HEADER.test(k) });
    if (isStr(s.bearerToken)) out.push({ text: s.bearerToken, literal: true });
    if (isObj(s.basicAuth) && isStr(s.basicAuth.password)) out.push({ text: s.basicAuth.password, literal: true });
  };
  auth(rb.prometheus);
  auth(rb.alertmanager);
  const rollback = isObj(rb.rollback) ? rb.rollback : {};
  for (const group of [...items(rb.phases), ...items(rollback.levels)])
    for (const s of items(isObj(group) ? group.steps : undefined)) if (isObj(s)) auth(s.http);
  for (const w of items(rb.notify))
    if (isObj(w)) {
      auth(w);
      if (isStr(w.url)) out.push({ text: w.url, literal: true });
    }
  return out;
}

/** The names of the variables whose values are secret: `${VAR}` in credential fields, then the `secrets:` list. */
export function secretNames(rb: unknown): string[] {
  if (!isObj(rb)) return [];
  const names = new Set<string>();
  for (const f of credentialFields(rb)) for (const m of f.text.matchAll(ENV_REF)) names.add(m[1]);
  for (const n of items(rb.secrets)) if (isStr(n) && VAR_NAME.test(n)) names.add(n);
  return [...names];
}

/**
 * The credentials written out in the runbook itself, as expanded: a runbook should take them from
 * the environment, but one that does not must not have them journaled either.
 */
function literalCredentials(rb: Obj, env: NodeJS.ProcessEnv): string[] {
  return credentialFields(rb)
    .filter((f) => f.literal)
    .map((f) => expandForCheck(f.text, env) ?? '')
    .filter((t) => t.length >= MIN_SECRET_LENGTH);
}

/** The secret values of `rb` in `env`: what the redactor must hide as literal text (unset and empty ones left out). */
export function secretValues(rb: unknown, env: NodeJS.ProcessEnv): string[] {
  const values = secretNames(rb).flatMap((n) => (env[n] ? [env[n]] : []));
  return [...new Set([...values, ...(isObj(rb) ? literalCredentials(rb, env) : [])])];
}

/**
 * Problems with the `secrets:` list: a name that is not a variable name is the schema's to
 * report; here a listed variable that is unset (a typo would silently leave the real one
 * unredacted), or whose value is too short to redact. `env` null skips both (the demo).
 */
export function checkSecrets(data: unknown, env: NodeJS.ProcessEnv | null): Finding[] {
  if (env === null || !isObj(data)) return [];
  const out: Finding[] = [];
  items(data.secrets).forEach((name, i) => {
    if (!isStr(name) || !VAR_NAME.test(name)) return;
    const v = env[name];
    if (v === undefined)
      out.push({
        path: ['secrets', i],
        message: `secrets lists ${name}, which is not set in the environment; export ${name} before running cutover, or remove it from secrets`,
      });
    else if (secretParts(v).length === 0)
      out.push({
        path: ['secrets', i],
        message: `the value of ${name} is shorter than ${MIN_SECRET_LENGTH} characters, too short to redact without hiding ordinary output; use a longer secret, or a redact pattern that matches where it appears`,
      });
  });
  return out;
}
