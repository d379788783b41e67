// A journal that cannot write is loud, refuses forward actions, never blocks a way back, and loses nothing:
// given a live session whose journal's writes fail (ENOSPC), when the operator acts, then...
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { failWrites } from '../support/disk-full.js';
import { join } from 'node:path';
import type { SessionEvent } from '../../src/core/index.js';
import { JournalWriter, readJournal, verifyChain } from '../../src/journal/index.js';
import { Session } from '../../src/session/session.js';
import { recordVerdict, EX_INCOMPLETE } from '../../src/cli/run/record.js';
import { runbook } from '../core/fixtures.js';
import { instantExecutors } from '../ui/live.js';
import { tempDir } from '../journal/helpers.js';

afterEach(() => vi.restoreAllMocks());

async function live(dir: string) {
  const path = join(dir, 'j.jsonl');
  const journal = await JournalWriter.create<SessionEvent>(path);
  const exec = instantExecutors();
  const statuses: (string | undefined)[] = [];
  const session = new Session({
    runbook: runbook(),
    runbookPath: 'rb.yaml',
    runbookSha256: '0'.repeat(64),
    operator: 'alice',
    mode: 'live',
    version: 't',
    journal,
    executors: exec,
    publishMs: 1,
    onJournalStatus: (f) => statuses.push(f?.message),
  });
  await session.start();
  return { session, journal, exec, path, statuses };
}

describe('a journal that cannot write', () => {
  it('refuses forward actions, still runs a rollback, and keeps every event for the fallback file', async () => {
    const dir = tempDir();
    const { session, journal, exec, path, statuses } = await live(dir);
    let full = true;
    failWrites(() => full);
    expect(session.note('the disk is about to fill')).toBeUndefined();
    await expect.poll(() => session.store.notRecording).toBe('no space left on device (ENOSPC)');
    expect(statuses[0]).toMatch(/ENOSPC/);

    // Forward: refused, with the reason, and nothing runs.
    expect(session.act('backup')).toMatch(/^NOT RECORDING \(ENOSPC\): only roll back/);
    expect(session.decideGate('pre', 'go', '')).toMatch(/^NOT RECORDING/);
    expect(session.skip('backup', 'x')).toMatch(/^NOT RECORDING/);
    // A way back: runs, and its events are folded although not one reaches the disk.
    expect(session.confirmRollback('traffic')).toBeUndefined();
    await session.rollbackSettled();
    expect(session.state.rollback.run).toMatchObject({ level: 'traffic', ok: true });
    expect(exec.calls).toEqual(['lb1.internal: lbctl weight blue 0']);
    await session.end();
    expect(session.store.events().all().at(-1)).toMatchObject({ type: 'session/ended', outcome: 'rolled-back' });

    // On disk: only what was written before the failure; everything after is in the fallback, in order.
    expect(readJournal(path).entries.map((e) => e.event.type)).toEqual(['session/started']);
    full = false;
    const verdict = recordVerdict(journal, { TMPDIR: dir, HOME: dir });
    expect(verdict.code).toBe(EX_INCOMPLETE);
    const fallback = /they are in (\S+) \(0600\)/.exec(verdict.message)![1];
    expect(statSync(fallback).mode & 0o777).toBe(0o600);
    const kept = readFileSync(fallback, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; type: string });
    expect(kept[0].seq).toBe(2);
    expect(kept.map((e) => e.type)).toEqual(
      expect.arrayContaining(['note/added', 'rollback/confirmed', 'command/exited', 'rollback/finished']),
    );
    expect(kept.at(-1)!.type).toBe('session/ended');
    // The documented recovery: append the fallback to the journal, and the chain verifies.
    writeFileSync(path, readFileSync(path, 'utf8') + readFileSync(fallback, 'utf8'));
    expect(verifyChain(path).ok).toBe(true);
  });

  it('records again once the disk takes writes: the mark clears and forward actions are allowed', async () => {
    const { session, path, statuses } = await live(tempDir());
    let full = true;
    failWrites(() => full);
    session.note('x');
    await expect.poll(() => session.store.notRecording).toBeDefined();
    expect(session.act('backup')).toMatch(/^NOT RECORDING/);
    full = false;
    await expect.poll(() => session.store.notRecording, { timeout: 5000 }).toBeUndefined();
    expect(statuses.at(-1)).toBeUndefined();
    expect(session.act('backup')).toBeUndefined();
    await expect.poll(() => session.state.steps.backup?.status).toBe('passed');
    await session.end();
    expect(readJournal(path).entries.map((e) => e.event.type)).toEqual([
      'session/started',
      'note/added',
      'step/started',
      'step/passed',
      'session/ended',
    ]);
    expect(verifyChain(path).ok).toBe(true);
  });

  it('a decision made as the disk fills is not lost: the abort of a running rollback still happens', async () => {
    const dir = tempDir();
    const path = join(dir, 'j.jsonl');
    const journal = await JournalWriter.create<SessionEvent>(path);
    let release: () => void = () => {};
    const exec = {
      ...instantExecutors(),
      remote: (req: { signal: AbortSignal }) =>
        new Promise<{ ok: boolean; summary: string }>((resolve) => {
          release = () => resolve({ ok: true, summary: 'ok' });
          req.signal.addEventListener('abort', () => resolve({ ok: false, summary: 'cancelled' }));
        }),
    };
    const session = new Session({
      runbook: runbook(),
      runbookPath: 'rb.yaml',
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      journal,
      executors: exec,
      publishMs: 1,
    });
    await session.start();
    expect(session.confirmRollback('traffic')).toBeUndefined();
    await expect.poll(() => session.state.rollback.run?.steps['shift-back']?.status).toBe('started');
    failWrites(() => true);
    expect(session.abortRollback('disk full, stopping')).toBeUndefined();
    await session.rollbackSettled();
    expect(session.state.rollback.run?.aborted).toMatchObject({ operator: 'alice', reason: 'disk full, stopping' });
    release();
    await session.end();
    expect(session.store.notRecording).toMatch(/ENOSPC/);
    expect(journal.unwritten().toString()).toMatch(/"type":"rollback\/aborted"/);
  });
});
