// Confirming a rollback cancels the deploy steps still running: the deploy never races its rollback.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import type { Executors } from '../../src/session/executors.js';
import { Session } from '../../src/session/session.js';
import { runbook } from '../core/fixtures.js';

describe('rollback while a step runs', () => {
  it('cancels the running step, then runs the rollback', async () => {
    const calls: string[] = [];
    const exec: Executors = {
      remote: (req) =>
        new Promise((resolve) => {
          calls.push(`${req.level ?? 'deploy'}: ${req.run.command}`);
          if (req.level) return resolve({ ok: true, summary: 'ok' });
          req.signal.addEventListener('abort', () => resolve({ ok: false, summary: 'cancelled' }), { once: true });
        }),
      local: async () => ({ ok: true, summary: 'exit 0' }),
      connections: () => 0,
      close: async () => {},
    };
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      executors: exec,
      publishMs: 1,
    });
    await session.start();
    expect(session.act('backup')).toBeUndefined();
    await expect.poll(() => session.state.steps.backup?.status).toBe('passed');
    expect(session.act('green-health')).toBeUndefined();
    await expect.poll(() => session.state.steps['green-health']?.status).toBe('running');
    expect(session.confirmRollback('traffic')).toBeUndefined();
    await session.rollbackSettled();
    await expect.poll(() => session.state.steps['green-health']?.status).toBe('failed');
    expect(session.state.steps['green-health'].error).toBe('cancelled');
    expect(session.state.rollback.run).toMatchObject({ level: 'traffic', ok: true });
    expect(calls).toEqual(['deploy: curl -fsS localhost:3000/api/health', 'traffic: lbctl weight blue 0']);
    const types = session.store
      .events()
      .all()
      .map((e: SessionEvent) => e.type);
    expect(types.indexOf('rollback/confirmed')).toBeLessThan(types.lastIndexOf('step/failed'));
    // No race: the cancelled deploy step has settled before the first rollback step starts.
    expect(types.lastIndexOf('step/failed')).toBeLessThan(types.indexOf('rollback/step'));
    await session.end('rolled-back');
  });

  it('a deploy step that never settles cannot hold the rollback: it starts after the grace period', async () => {
    const calls: string[] = [];
    const exec: Executors = {
      // The deploy command ignores its cancel; the rollback's answers at once.
      remote: (req) =>
        new Promise((resolve) => (calls.push(req.level ?? 'deploy'), req.level ? resolve({ ok: true, summary: 'ok' }) : undefined)),
      local: async () => ({ ok: true, summary: 'exit 0' }),
      connections: () => 0,
      close: async () => {},
    };
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      executors: exec,
      publishMs: 1,
      cancelGraceMs: 200,
    });
    await session.start();
    session.act('backup');
    await expect.poll(() => session.state.steps.backup?.status).toBe('passed');
    session.act('green-health');
    await expect.poll(() => session.state.steps['green-health']?.status).toBe('running');
    expect(session.confirmRollback('traffic')).toBeUndefined();
    await session.rollbackSettled();
    expect(session.state.rollback.run).toMatchObject({ level: 'traffic', ok: true });
    expect(calls).toEqual(['deploy', 'traffic']);
    await session.end();
  });
});
