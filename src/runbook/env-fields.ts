/**
 * Which runbook fields take `${VAR}`, and the validate-time check that each variable they use is
 * set. The values are never copied into the runbook: the drivers expand them when they use the
 * field (Prometheus and Alertmanager requests, SSH targets, http steps, local steps' cwd and env, webhooks). Commands are not
 * in the list: `${VAR}` in a command belongs to the shell that runs it.
 */
import { ENV_REF, MissingEnvError } from './env.js';
import type { Finding } from './refs.js';
import type { Path } from './yaml-source.js';

const AUTH = ['url', 'headers.*', 'bearerToken', 'basicAuth.username', 'basicAuth.password'];
const STEP_LISTS = ['phases.*.steps.*', 'rollback.levels.*.steps.*'];

/** Fields whose `${VAR}` cutover expands when it uses them (`*` is any key or index). */
export const ENV_FIELDS: readonly string[] = [
  ...AUTH.map((f) => `prometheus.${f}`),
  ...AUTH.map((f) => `alertmanager.${f}`),
  ...['user', 'identityFile', 'knownHosts', 'jump'].map((f) => `ssh.${f}`),
  'hosts.*.*',
  ...['host', 'user', 'identityFile', 'jump'].map((f) => `hosts.*.*.${f}`),
  ...STEP_LISTS.flatMap((s) => [`${s}.http.url`, `${s}.http.headers.*`, `${s}.local.cwd`, `${s}.local.env.*`]),
  'notify.*.url',
  'notify.*.headers.*',
];

/**
 * Fields where a `${VAR}` would look expanded but is not (their drivers pass them on as written):
 * an error at validate time rather than a literal `${PORT}` at run time.
 */
const NOT_EXPANDED: readonly string[] = [];

const ENV_FIELDS_SEGS = ENV_FIELDS.map((p) => p.split('.'));
const NOT_EXPANDED_SEGS = NOT_EXPANDED.map((p) => p.split('.'));
const ALL_SEGS = [...ENV_FIELDS_SEGS, ...NOT_EXPANDED_SEGS];
const MALFORMED = /\$\{(?![A-Za-z_]\w*\})/;

/**
 * Every `${VAR}` problem of the raw runbook data: malformed references, references in fields
 * cutover does not expand, and (unless `env` is null) variables not set in `env`.
 */
export function checkEnv(data: unknown, env: NodeJS.ProcessEnv | null): Finding[] {
  const out: Finding[] = [];
  strings(data, [], (text, path) => {
    if (matches(path, NOT_EXPANDED_SEGS)) {
      const i = text.indexOf('${');
      if (i >= 0) out.push({ path, offset: i, message: `cutover does not expand \${VAR} in ${fieldOf(path)}; write the value itself` });
      return;
    }
    if (!matches(path, ENV_FIELDS_SEGS)) return;
    const bad = text.search(MALFORMED);
    if (bad >= 0) out.push({ path, offset: bad, message: 'malformed ${VAR}: write ${NAME} with letters, digits and _' });
    if (env === null) return;
    for (const m of text.matchAll(ENV_REF))
      if (env[m[1]] === undefined) out.push({ path, offset: m.index, message: new MissingEnvError(m[1], fieldOf(path)).message });
  });
  return out;
}

/** `text` with its `${VAR}` expanded from `env`, or undefined when `env` is null or a variable is unset. */
export function expandForCheck(text: string, env: NodeJS.ProcessEnv | null): string | undefined {
  if (env === null) return /\$\{[A-Za-z_]\w*\}/.test(text) ? undefined : text;
  let unset = false;
  const out = text.replace(ENV_REF, (_, name: string) => env[name] ?? ((unset = true), ''));
  return unset ? undefined : out;
}

/** Visits the strings at paths some pattern could match (titles, queries and commands are skipped). */
function strings(v: unknown, path: PropertyKey[], visit: (text: string, path: Path) => void): void {
  if (!ALL_SEGS.some((segs) => segs.length >= path.length && prefix(segs, path))) return;
  if (typeof v === 'string') visit(v, path);
  else if (Array.isArray(v))
    v.forEach((x, i) => {
      strings(x, [...path, i], visit);
    });
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, [...path, k], visit);
}

function prefix(segs: readonly string[], path: Path): boolean {
  for (let i = 0; i < path.length; i++) if (segs[i] !== '*' && segs[i] !== String(path[i])) return false;
  return true;
}

function matches(path: Path, patterns: readonly string[][]): boolean {
  return patterns.some((segs) => segs.length === path.length && prefix(segs, path));
}

/** How a message names the field: `ssh.user`, `http.headers.Authorization`, `user of a host in hosts.web`. */
function fieldOf(path: Path): string {
  const p = path.map(String);
  if (p[0] === 'hosts') return p.length === 3 ? `a host in hosts.${p[1]}` : `${p[3]} of a host in hosts.${p[1]}`;
  if (p[0] === 'notify') return `the ${p.slice(2).join('.')} of webhook ${Number(p[1]) + 1} in notify`;
  const step = p.lastIndexOf('steps');
  return (step >= 0 ? p.slice(step + 2) : p).join('.');
}
