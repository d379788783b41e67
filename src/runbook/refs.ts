/**
 * Checks that need the whole runbook: unique ids, references, PromQL, regexes, URLs. They read
 * the raw YAML data, not the schema's output, so they also run on the parts of a runbook that
 * parsed when other parts did not: `validate` reports every problem of a file in one run. Where
 * a value has the wrong type the schema says so, and these checks leave it alone.
 */
import { conditionUnitOffset, inPanelUnit, parseCheck, parseCondition, unitOffset, type Check } from './check.js';
import { unitOf } from './check-units.js';
import { parseDuration } from './duration.js';
import { expandForCheck } from './env-fields.js';
import { closest } from './problem.js';
import { checkPromql } from './promql.js';
import { normalizeHost } from './host.js';
import type { Path } from './yaml-source.js';

/** A problem at a path of the data; `offset` is a position inside that scalar's value. */
export interface Finding {
  path: Path;
  message: string;
  offset?: number;
  /** Point at the field's key rather than its value (a field that should not be there at all). */
  key?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
/** The items of a list, or none when it is not one (the schema reports that). */
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every cross-reference and content check of the raw runbook data; `env` checks URLs after `${VAR}` (null: skip those). */
export function checkRunbook(data: unknown, env: NodeJS.ProcessEnv | null = process.env): Finding[] {
  if (!isObj(data)) return [];
  const rb = data;
  const out: Finding[] = [];
  const hosts = isObj(rb.hosts) ? rb.hosts : {};
  const rollback = isObj(rb.rollback) ? rb.rollback : {};
  const panels = new Map<string, Obj>();
  for (const p of items(rb.health)) if (isObj(p) && isStr(p.id) && !panels.has(p.id)) panels.set(p.id, p);
  const levels = items(rollback.levels).flatMap((l) => (isObj(l) && isStr(l.id) ? [l.id] : []));

  const seen = new Map<string, Set<string>>();
  const unique = (kind: string, item: Obj, at: Path, message = `duplicate ${kind} id '${item.id}'; ids must be unique`) => {
    if (!isStr(item.id)) return;
    const ids = seen.get(kind) ?? seen.set(kind, new Set()).get(kind)!;
    if (ids.has(item.id)) out.push({ path: [...at, 'id'], message });
    else ids.add(item.id);
  };
  const ref = (kind: string, name: string, known: string[], path: Path) => {
    if (known.includes(name)) return true;
    const guess = closest(name, known);
    const list = known.length ? `known: ${known.join(', ')}` : `the runbook defines none`;
    out.push({ path, message: `unknown ${kind} '${name}'${guess ? `; did you mean '${guess}'?` : ` (${list})`}` });
    return false;
  };
  /** `ratio` only on a compare panel; a unit only where it fits the panel's (pointing at the unit). */
  const checkOk = (check: Check | undefined, panelId: string, path: Path, unitAt?: number, own?: Obj) => {
    const panel = own ?? panels.get(panelId);
    if (!check || !panel) return;
    if (check.ratio && panel.compare === undefined)
      out.push({ path, message: `'ratio' needs a compare panel, and '${panelId}' has a plain query` });
    const r = inPanelUnit(check, unitOf({ id: panelId, unit: isStr(panel.unit) ? panel.unit : undefined, compare: panel.compare }));
    if ('error' in r) out.push({ path, message: r.error, ...(unitAt !== undefined ? { offset: unitAt } : {}) });
  };
  const url = (u: unknown, path: Path) => {
    if (isStr(u)) checkUrl(u, env, path, out);
  };

  for (const [name, list] of Object.entries(hosts)) {
    if (!/^[A-Za-z_][\w-]*$/.test(name))
      out.push({ path: ['hosts', name], message: `host group name '${name}' must be an id (letters, digits, _ and -)` });
    if (Array.isArray(list) && list.length === 0)
      out.push({ path: ['hosts', name], message: `host group '${name}' is empty; list at least one host` });
    items(list).forEach((h, i) => {
      const port = isStr(h) ? normalizeHost(h).port : undefined;
      if (port !== undefined && (port < 1 || port > 65535))
        out.push({ path: ['hosts', name, i], message: `port ${port} is out of range (1-65535)` });
    });
  }

  if (items(rb.health).length > 0 && rb.prometheus === undefined)
    out.push({ path: ['health'], message: 'health panels need a prometheus section with its url' });
  if (isObj(rb.prometheus)) url(rb.prometheus.url, ['prometheus', 'url']);
  if (isObj(rb.alertmanager)) url(rb.alertmanager.url, ['alertmanager', 'url']);
  const defaultInterval = isObj(rb.prometheus) && isStr(rb.prometheus.interval) ? parseDuration(rb.prometheus.interval) : 5000;

  items(rb.health).forEach((p, i) => {
    if (!isObj(p)) return;
    const at: Path = ['health', i];
    unique('panel', p, at);
    if (p.id === 'judge')
      out.push({
        path: [...at, 'id'],
        message: '\'judge\' names the canary score in triggers (when: "judge < marginal"); give this panel another id',
      });
    const compare = isObj(p.compare) ? p.compare : undefined;
    const queries: [unknown, Path][] =
      p.query !== undefined
        ? [[p.query, [...at, 'query']]]
        : compare
          ? [
              [compare.canary, [...at, 'compare', 'canary']],
              [compare.baseline, [...at, 'compare', 'baseline']],
            ]
          : [];
    for (const [q, path] of queries) {
      const err = isStr(q) ? checkPromql(q) : undefined;
      if (err) out.push({ path, offset: err.offset, message: err.message });
    }
    for (const k of ['warn', 'crit'] as const)
      if (isStr(p[k]) && isStr(p.id)) checkOk(parseCheck(p[k]), p.id, [...at, k], unitOffset(p[k]), p);
    const range = isStr(p.range) ? parseDuration(p.range) : undefined;
    const interval = isStr(p.interval) ? parseDuration(p.interval) : p.interval === undefined ? defaultInterval : undefined;
    if (range !== undefined && interval !== undefined && range < interval)
      out.push({
        path: [...at, 'range'],
        message: `range ${p.range} is shorter than the panel's poll interval; make it at least the interval`,
      });
  });

  const steps = (list: unknown, at: Path) =>
    items(list).forEach((s, j) => {
      if (!isObj(s)) return;
      const sp: Path = [...at, 'steps', j];
      unique('step', s, sp, `duplicate step id '${s.id}'; ids must be unique across phases and rollback levels`);
      if (isObj(s.run) && isStr(s.run.on)) ref('host group', s.run.on, Object.keys(hosts), [...sp, 'run', 'on']);
      const exp = isObj(s.expect) ? s.expect : undefined;
      if (exp && isStr(exp.panel) && ref('panel', exp.panel, [...panels.keys()], [...sp, 'expect', 'panel']) && isStr(exp.check))
        checkOk(parseCheck(exp.check), exp.panel, [...sp, 'expect', 'check'], unitOffset(exp.check));
      if (isObj(s.http)) url(s.http.url, [...sp, 'http', 'url']);
      if (isObj(s.local) && isStr(s.local.command) && (s.local.shell === undefined || s.local.shell === false))
        out.push({
          path: [...sp, 'local', 'command'],
          message: 'a string command runs through a shell; add shell: true, or write it as an argv list',
        });
    });

  items(rb.phases).forEach((ph, i) => {
    if (!isObj(ph)) return;
    unique('phase', ph, ['phases', i]);
    steps(ph.steps, ['phases', i]);
  });
  items(rollback.levels).forEach((l, i) => {
    if (!isObj(l)) return;
    unique('rollback level', l, ['rollback', 'levels', i]);
    steps(l.steps, ['rollback', 'levels', i]);
  });
  items(rollback.triggers).forEach((t, i) => {
    if (!isObj(t)) return;
    const at: Path = ['rollback', 'triggers', i];
    unique('trigger', t, at);
    const when = isStr(t.when) ? parseCondition(t.when) : undefined;
    if (when?.judge !== undefined) {
      if (![...panels.values()].some((p) => isObj(p.judge) && isObj(p.compare)))
        out.push({
          path: [...at, 'when'],
          message: `'${t.when}' needs at least one compare panel with judge: (the score is made from them)`,
        });
    } else if (when && ref('panel', when.panel, [...panels.keys()], [...at, 'when']))
      checkOk(when.check, when.panel, [...at, 'when'], conditionUnitOffset(t.when as string));
    if (isStr(t.recommend)) ref('rollback level', t.recommend, levels, [...at, 'recommend']);
    // A trigger without recommend only informs; an automatic one must say what it runs.
    if (t.auto === true && t.recommend === undefined)
      out.push({
        path: [...at, 'auto'],
        message: `auto: true needs recommend: the level to run${levels.length ? ` (one of ${levels.join(', ')})` : ''}; without recommend the trigger only informs`,
      });
    // An automatic rollback cannot wait for a second person: the runbook must say which of the two it means.
    const target = items(rollback.levels).find((l) => isObj(l) && l.id === t.recommend);
    if (t.auto === true && isObj(target) && target.approvals === 2)
      out.push({
        path: [...at, 'auto'],
        message: `auto: true starts level '${t.recommend}' by itself, but that level needs approvals: 2 (a second person); drop auto here, or the level's approvals`,
      });
    if (t.countdown !== undefined && (t.auto === undefined || t.auto === false))
      out.push({ path: [...at, 'countdown'], message: 'countdown only applies with auto: true' });
  });

  items(rb.redact).forEach((r, i) => {
    if (!isStr(r)) return;
    try {
      new RegExp(r);
    } catch (e) {
      out.push({
        path: ['redact', i],
        message: `bad regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
      });
    }
  });
  return out;
}

/** An http(s) URL, checked as it will be used: after `${VAR}` (unset variables are reported by checkEnv). */
function checkUrl(written: string, env: NodeJS.ProcessEnv | null, path: Path, out: Finding[]): void {
  const u = expandForCheck(written, env);
  if (u === undefined) return;
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(u).protocol);
  } catch {
    ok = false;
  }
  if (!ok) out.push({ path, message: `'${written}' is not an http(s) URL${u === written ? '' : ' once its ${VAR} are expanded'}` });
}
