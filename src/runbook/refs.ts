/** Checks that need the whole runbook: unique ids, references, PromQL, regexes, URLs. */
import { closest } from './problem.js';
import { checkPromql } from './promql.js';
import type { Check } from './check.js';
import type { Path } from './yaml-source.js';
import type { Runbook } from './schema.js';

/** A problem at a path of the data; `offset` is a position inside that scalar's value. */
export interface Finding {
  path: Path;
  message: string;
  offset?: number;
}

/** Every cross-reference and content check of a schema-valid runbook. */
export function checkRunbook(rb: Runbook): Finding[] {
  const out: Finding[] = [];
  const groups = Object.keys(rb.hosts ?? {});
  const panels = new Map((rb.health ?? []).map((p) => [p.id, p]));
  const levels = (rb.rollback?.levels ?? []).map((l) => l.id);

  const seen = new Map<string, Map<string, Path>>();
  const unique = (kind: string, id: string, path: Path) => {
    const ids = seen.get(kind) ?? seen.set(kind, new Map()).get(kind)!;
    if (ids.has(id)) out.push({ path: [...path, 'id'], message: `duplicate ${kind} id '${id}'; ids must be unique` });
    else ids.set(id, path);
  };
  const ref = (kind: string, name: string, known: string[], path: Path, offset?: number) => {
    if (known.includes(name)) return true;
    const guess = closest(name, known);
    const list = known.length ? `known: ${known.join(', ')}` : `the runbook defines none`;
    out.push({ path, offset, message: `unknown ${kind} '${name}'${guess ? `; did you mean '${guess}'?` : ` (${list})`}` });
    return false;
  };
  const ratioOk = (check: Check | undefined, panelId: string, path: Path) => {
    const panel = panels.get(panelId);
    if (check?.ratio && panel && !panel.compare)
      out.push({ path, message: `'ratio' needs a compare panel, and '${panelId}' has a plain query` });
  };

  for (const [name, list] of Object.entries(rb.hosts ?? {})) {
    if (!/^[A-Za-z_][\w-]*$/.test(name)) out.push({ path: ['hosts', name], message: `host group name '${name}' must be an id (letters, digits, _ and -)` });
    if (list.length === 0) out.push({ path: ['hosts', name], message: `host group '${name}' is empty; list at least one host` });
    list.forEach((h, i) => {
      if (h.port !== undefined && (h.port < 1 || h.port > 65535))
        out.push({ path: ['hosts', name, i], message: `port ${h.port} is out of range (1-65535)` });
    });
  }

  if ((rb.health?.length ?? 0) > 0 && !rb.prometheus)
    out.push({ path: ['health'], message: 'health panels need a prometheus section with its url' });
  if (rb.prometheus) url(rb.prometheus.url, ['prometheus', 'url'], out);
  if (rb.alertmanager) url(rb.alertmanager.url, ['alertmanager', 'url'], out);

  (rb.health ?? []).forEach((p, i) => {
    const at: Path = ['health', i];
    unique('panel', p.id, at);
    const queries: [string, Path][] = p.query !== undefined
      ? [[p.query, [...at, 'query']]]
      : p.compare ? [[p.compare.canary, [...at, 'compare', 'canary']], [p.compare.baseline, [...at, 'compare', 'baseline']]] : [];
    for (const [q, path] of queries) {
      const err = checkPromql(q);
      if (err) out.push({ path, offset: err.offset, message: err.message });
    }
    if (!p.compare) for (const k of ['warn', 'crit'] as const) ratioOk(p[k], p.id, [...at, k]);
  });

  const stepIds = new Map<string, Path>();
  const steps = (list: Runbook['phases'][number]['steps'], at: Path) =>
    list.forEach((s, j) => {
      const sp: Path = [...at, 'steps', j];
      if (stepIds.has(s.id)) out.push({ path: [...sp, 'id'], message: `duplicate step id '${s.id}'; ids must be unique across phases and rollback levels` });
      else stepIds.set(s.id, sp);
      if (s.run) ref('host group', s.run.on, groups, [...sp, 'run', 'on']);
      if (s.expect && ref('panel', s.expect.panel, [...panels.keys()], [...sp, 'expect', 'panel']))
        ratioOk(s.expect.check, s.expect.panel, [...sp, 'expect', 'check']);
      if (s.http) url(s.http.url, [...sp, 'http', 'url'], out);
      if (s.local && typeof s.local.command === 'string' && !s.local.shell)
        out.push({ path: [...sp, 'local', 'command'], message: 'a string command runs through a shell; add shell: true, or write it as an argv list' });
    });

  rb.phases.forEach((ph, i) => {
    unique('phase', ph.id, ['phases', i]);
    steps(ph.steps, ['phases', i]);
  });
  (rb.rollback?.levels ?? []).forEach((l, i) => {
    unique('rollback level', l.id, ['rollback', 'levels', i]);
    steps(l.steps, ['rollback', 'levels', i]);
  });
  (rb.rollback?.triggers ?? []).forEach((t, i) => {
    const at: Path = ['rollback', 'triggers', i];
    unique('trigger', t.id, at);
    if (ref('panel', t.when.panel, [...panels.keys()], [...at, 'when'])) ratioOk(t.when.check, t.when.panel, [...at, 'when']);
    ref('rollback level', t.recommend, levels, [...at, 'recommend']);
    if (t.countdown !== undefined && !t.auto)
      out.push({ path: [...at, 'countdown'], message: 'countdown only applies with auto: true' });
  });

  (rb.redact ?? []).forEach((r, i) => {
    try {
      new RegExp(r);
    } catch (e) {
      out.push({ path: ['redact', i], message: `bad regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` });
    }
  });

  envRefs(rb, [], out);
  return out;
}

function url(u: string, path: Path, out: Finding[]): void {
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(u.replace(/\$\{[A-Za-z_]\w*\}/g, 'x')).protocol);
  } catch {
    ok = false;
  }
  if (!ok) out.push({ path, message: `'${u}' is not an http(s) URL` });
}

/** Finds malformed `${VAR}` references anywhere in the runbook's strings. */
function envRefs(v: unknown, path: PropertyKey[], out: Finding[]): void {
  if (typeof v === 'string') {
    const i = v.search(/\$\{(?![A-Za-z_]\w*\})/);
    if (i >= 0) out.push({ path, offset: i, message: 'malformed ${VAR}: write ${NAME} with letters, digits and _' });
  } else if (Array.isArray(v)) v.forEach((x, i) => envRefs(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) envRefs(x, [...path, k], out);
}
