/** Builders for core tests: a session started on a fixture runbook, and event helpers. */
import { loadRunbookFile } from '../../src/runbook/index.js';
import type { Runbook } from '../../src/runbook/index.js';
import type { SessionEvent, SessionStarted } from '../../src/core/index.js';

export const T0 = Date.UTC(2026, 10, 21, 22, 0, 0);

/** What the fixture runbooks read with `${VAR}` (blue-green's tenant, canary's token): validation checks they are set. */
const FIXTURE_ENV = { TENANT: 'team-a', PROM_TOKEN: 'token' };

/** A fixture runbook by name (fixtures/runbooks/NAME.yaml). */
export function runbook(name = 'blue-green'): Runbook {
  const r = loadRunbookFile(`fixtures/runbooks/${name}.yaml`, FIXTURE_ENV);
  if (!r.runbook) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.runbook;
}

/** The session/started event for a runbook. */
export function started(rb: Runbook = runbook(), t = T0): SessionStarted {
  return {
    type: 'session/started',
    t,
    sessionId: 's1',
    runbook: rb,
    runbookPath: 'fixtures/runbooks/x.yaml',
    runbookSha256: '0'.repeat(64),
    operator: 'alice',
    mode: 'live',
    version: '0.1.0',
  };
}

/** Stamps `t` at T0 + seconds. */
export function at<E extends Omit<SessionEvent, 't'>>(seconds: number, e: E): E & { t: number } {
  return { ...e, t: T0 + seconds * 1000 };
}
