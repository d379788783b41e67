/** Turns zod issues into problems a person can act on, placed on the offending YAML node. */
import type { z } from 'zod';
import { closest, type Problem } from './problem.js';
import type { YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

/** Field names allowed at each kind of place, for "unknown field" hints. */
const FIELDS: Record<string, readonly string[]> = {
  '': ['name', 'description', 'prometheus', 'alertmanager', 'ssh', 'hosts', 'health', 'phases', 'rollback', 'redact', 'secrets', 'notify'],
  prometheus: ['url', 'interval', 'timeout', 'headers', 'bearerToken', 'basicAuth'],
  alertmanager: ['url', 'headers', 'bearerToken', 'basicAuth', 'filter'],
  ssh: ['user', 'port', 'jump', 'identityFile', 'knownHosts', 'strictHostKeys', 'concurrency', 'connectTimeout', 'keepalive'],
  host: ['host', 'port', 'user', 'identityFile', 'jump'],
  panel: ['id', 'title', 'query', 'compare', 'unit', 'warn', 'crit', 'interval', 'range'],
  compare: ['canary', 'baseline'],
  phase: ['id', 'title', 'planned', 'steps', 'gate'],
  step: ['id', 'title', 'manual', 'run', 'local', 'expect', 'http', 'wait', 'parallel'],
  run: ['on', 'command', 'batch', 'maxFail', 'timeout'],
  local: ['command', 'shell', 'timeout', 'cwd', 'env'],
  expect: ['panel', 'check', 'within'],
  http: ['url', 'status', 'timeout', 'headers'],
  gate: ['title', 'description'],
  rollback: ['levels', 'triggers'],
  level: ['id', 'title', 'expected', 'steps'],
  trigger: ['id', 'when', 'for', 'severity', 'recommend', 'auto', 'countdown', 'onNoData'],
  basicAuth: ['username', 'password'],
  webhook: ['id', 'url', 'format', 'on', 'template', 'headers', 'timeout'],
};

/** What kind of place a path points at ("step", "panel", ...), for messages and hints. */
export function placeOf(path: readonly PropertyKey[]): string {
  const p = path.map(String);
  const last = p[p.length - 1] ?? '';
  if (p.length === 0) return '';
  if (/^\d+$/.test(last)) {
    const parent = p[p.length - 2];
    if (parent === 'health') return 'panel';
    if (parent === 'phases') return 'phase';
    if (parent === 'steps') return 'step';
    if (parent === 'levels') return 'level';
    if (parent === 'triggers') return 'trigger';
    if (parent === 'notify') return 'webhook';
    if (p[0] === 'hosts') return 'host';
    return 'item';
  }
  return last;
}

/** Converts zod's issues to located problems. */
export function issuesToProblems(src: YamlSource, issues: readonly Issue[], data: unknown): Problem[] {
  const out: Problem[] = [];
  // A misspelled field also shows up as the real one missing: report only the misspelling.
  const guessed = new Set<string>();
  for (const issue of issues)
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) {
        const guess = closest(key, FIELDS[placeOf(issue.path)] ?? []);
        if (guess) guessed.add(JSON.stringify([...issue.path, guess].map(String)));
      }
  for (const issue of issues) {
    if (
      (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
      get(data, issue.path) === undefined &&
      guessed.has(JSON.stringify(issue.path.map(String)))
    )
      continue;
    if (issue.code === 'unrecognized_keys') {
      const place = placeOf(issue.path);
      const allowed = FIELDS[place] ?? [];
      for (const key of issue.keys) {
        const guess = closest(key, allowed);
        const hint = guess ? `did you mean '${guess}'?` : allowed.length ? `expected one of ${allowed.join(', ')}` : '';
        const where = place ? ` in ${place === 'item' ? 'this item' : place === '' ? 'the runbook' : `a ${place}`}` : '';
        out.push({
          ...src.locate([...issue.path, key], true),
          file: src.file,
          message: `unknown field '${key}'${where}${hint ? `; ${hint}` : ''}`,
        });
      }
      continue;
    }
    const value = get(data, issue.path);
    out.push({ ...src.locate(issue.path), file: src.file, message: messageOf(issue, value) });
  }
  return dedupe(out);
}

function messageOf(issue: Issue, value: unknown): string {
  const field = fieldName(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `missing field '${field}'${expectedText(issue.expected)}`;
      if (issue.path.length === 0) return 'a runbook is a YAML mapping with at least name and phases';
      return custom(issue.message) ?? `${field} must be ${article(issue.expected)}, not ${describe(value)}`;
    case 'too_small':
      if (issue.origin === 'array') return `${field} must list at least ${issue.minimum} ${issue.minimum === 1 ? 'item' : 'items'}`;
      if (issue.origin === 'string') return `${field} must not be empty`;
      return `${field} must be at least ${issue.minimum}`;
    case 'too_big':
      return `${field} must be at most ${issue.maximum}`;
    case 'invalid_value':
      if (value === undefined) return `missing field '${field}': one of ${issue.values.map((v) => String(v)).join(', ')}`;
      return `${field} must be one of ${issue.values.map((v) => String(v)).join(', ')}, not ${describe(value)}`;
    case 'invalid_union':
    case 'invalid_format':
    case 'custom':
      return custom(issue.message) ?? `${field} is not valid`;
    default:
      return custom(issue.message) ?? `${field} is not valid`;
  }
}

function custom(m: string): string | undefined {
  return m && !/^Invalid/.test(m) ? m : undefined;
}

function expectedText(t: string): string {
  return t === 'object' || t === 'record' ? ' (a mapping)' : t === 'array' ? ' (a list)' : ` (${article(t)})`;
}

function article(t: string): string {
  if (t === 'object' || t === 'record') return 'a mapping';
  if (t === 'array') return 'a list';
  if (t === 'int') return 'a whole number';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function describe(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v.length > 30 ? `${v.slice(0, 30)}…` : v}"`;
  return `${typeof v} ${String(v)}`;
}

function fieldName(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'value';
}

function get(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function dedupe(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.line}:${p.col}:${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
