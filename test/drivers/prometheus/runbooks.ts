/** Runbooks for the Prometheus tests, written as the user would (YAML) and loaded by the real loader. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SessionEvent } from '../../../src/core/events.js';
import { loadRunbookText, parseDuration, type Runbook } from '../../../src/runbook/index.js';

/** The runbook's sections that matter here; name and phases are filled in. */
export type RunbookSpec = Record<string, unknown> & { prometheus: Record<string, unknown> };

/** The YAML text of a runbook built from `spec`. */
export function runbookText(spec: RunbookSpec): string {
  return stringify({ name: 'prometheus test', ...spec, phases: [{ id: 'p', title: 'P', steps: [{ id: 's', title: 'S', manual: true }] }] });
}

/**
 * Loads `spec` through the real loader; throws with the problems when it does not load. `${VAR}`
 * is not checked against this process's environment: the tests give the client its own. Poll
 * intervals under the 1s a runbook may ask for (the poller's mechanics at test speed) are
 * loaded as 1s, then set to the test's value.
 */
export function makeRunbook(spec: RunbookSpec): Runbook {
  const fast: ((rb: Runbook) => void)[] = [];
  const interval = <T extends Record<string, unknown>>(o: T, set: (rb: Runbook, ms: number) => void): T => {
    const ms = typeof o.interval === 'string' ? parseDuration(o.interval) : undefined;
    if (ms === undefined || ms >= 1000) return o;
    fast.push((rb) => set(rb, ms));
    return { ...o, interval: '1s' };
  };
  const health = Array.isArray(spec.health)
    ? { health: spec.health.map((p: Record<string, unknown>, i) => interval(p, (rb, ms) => (rb.health![i].interval = ms))) }
    : {};
  const written = { ...spec, prometheus: interval(spec.prometheus, (rb, ms) => (rb.prometheus!.interval = ms)), ...health };
  const r = loadRunbookText('test.yaml', runbookText(written), null);
  if (!r.runbook) throw new Error(`test runbook does not load:\n${r.problems.map((p) => `${p.line}:${p.col}: ${p.message}`).join('\n')}`);
  for (const set of fast) set(r.runbook);
  return r.runbook;
}

const written: string[] = [];

/** Removes every file writeRunbook wrote (call it in afterAll). */
export function removeWrittenRunbooks(): void {
  for (const d of written.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes `spec` to a temporary file (for the CLI) and returns its path. */
export function writeRunbook(spec: RunbookSpec): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-rb-'));
  written.push(dir);
  const file = join(dir, 'runbook.yaml');
  writeFileSync(file, runbookText(spec));
  return file;
}

/** The session/started event for a runbook, for folding events with the core reducer. */
export function started(runbook: Runbook, t = 0): SessionEvent {
  return {
    type: 'session/started',
    t,
    sessionId: 't',
    runbook,
    runbookPath: 'test.yaml',
    runbookSha256: '',
    operator: 'test',
    mode: 'live',
    version: '0',
  };
}

/** Error ratio of a track of the fixture app over 5 s (1 s scrapes: enough points for rate). */
export const errorRatio = (track: string) =>
  `sum(rate(http_requests_total{track="${track}",code="500"}[5s])) / sum(rate(http_requests_total{track="${track}"}[5s]))`;
