/**
 * Checks written in their panel's unit (`> 5%`, `> 500ms`) put in the panel's base unit, for
 * panel thresholds, expect steps and trigger conditions alike. Run on the schema's output (the
 * conversion) and on the raw data (refs.ts: the located errors, reported with every other problem).
 */
import { type Check, inPanelUnit, type PanelUnit } from './check.js';

type Path = (string | number)[];

/** A panel as far as its checks need it. */
interface PanelLike {
  id: string;
  unit?: string;
  compare?: unknown;
}

/** Every check of a runbook with where it is, its panel and how to put the result back. */
export interface CheckSite {
  path: Path;
  check: Check;
  panel: PanelUnit | undefined;
  set: (c: Check) => void;
}

interface RunbookLike {
  health?: (PanelLike & { warn?: Check; crit?: Check })[];
  phases: { steps: StepLike[] }[];
  rollback?: { levels: { steps: StepLike[] }[]; triggers?: { when: { panel: string; check: Check } }[] };
}
interface StepLike {
  expect?: { panel: string; check: Check };
}

/** The checks of a parsed runbook, each with its panel. */
export function checkSites(rb: RunbookLike): CheckSite[] {
  const panels = new Map<string, PanelUnit>();
  for (const p of rb.health ?? []) if (!panels.has(p.id)) panels.set(p.id, unitOf(p));
  const out: CheckSite[] = [];
  (rb.health ?? []).forEach((p, i) => {
    for (const k of ['warn', 'crit'] as const) {
      const c = p[k];
      if (c) out.push({ path: ['health', i, k], check: c, panel: unitOf(p), set: (x) => (p[k] = x) });
    }
  });
  const steps = (list: StepLike[], at: Path) =>
    list.forEach((s, j) => {
      const e = s.expect;
      if (e)
        out.push({ path: [...at, 'steps', j, 'expect', 'check'], check: e.check, panel: panels.get(e.panel), set: (x) => (e.check = x) });
    });
  rb.phases.forEach((ph, i) => {
    steps(ph.steps, ['phases', i]);
  });
  rb.rollback?.levels.forEach((l, i) => {
    steps(l.steps, ['rollback', 'levels', i]);
  });
  rb.rollback?.triggers?.forEach((t, i) => {
    out.push({
      path: ['rollback', 'triggers', i, 'when'],
      check: t.when.check,
      panel: panels.get(t.when.panel),
      set: (x) => (t.when.check = x),
    });
  });
  return out;
}

/** Converts every check of a parsed runbook in place; returns the checks whose unit does not fit. */
export function applyCheckUnits(rb: RunbookLike): { path: Path; message: string }[] {
  const problems: { path: Path; message: string }[] = [];
  for (const site of checkSites(rb)) {
    // An unknown panel is reported by the reference checks; its check stays as written.
    if (!site.panel || site.check.unit === undefined) continue;
    const r = inPanelUnit(site.check, site.panel);
    if ('error' in r) problems.push({ path: site.path, message: r.error });
    else site.set(r.check);
  }
  return problems;
}

/** A panel's unit and kind, as a check needs them. */
export function unitOf(p: PanelLike): PanelUnit {
  return { id: p.id, compare: p.compare !== undefined, ...(p.unit !== undefined ? { unit: p.unit } : {}) };
}
