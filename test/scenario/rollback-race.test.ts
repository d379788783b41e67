// The rollback never races the deploy: on a real sshd host, a deploy command that ignores TERM and
// prints a tick every 200 ms; R Y cancels it, waits for its exit (or its "outcome unknown") within
// the grace, then rolls back. No tick of the deploy is journaled after the first rollback step starts.
// With a grace shorter than the driver's kill grace, the rollback starts anyway and says by host
// what was still running.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/index.js';
import { selectRollback } from '../../src/core/select-rollback.js';
import { JournalWriter, readJournal } from '../../src/journal/index.js';
import { loadRunbookFile } from '../../src/runbook/index.js';
import { execDriverExecutors } from '../../src/session/exec-adapter.js';
import { Session } from '../../src/session/session.js';
import { needBinary } from '../support/binaries.js';
import { makeKey, startSshd, tempDir, type Sshd } from '../support/sshd.js';

const sshdBin = needBinary('sshd', 'openssh-server');

describe.skipIf(!sshdBin)('a rollback confirmed while a deploy command runs on a real host', () => {
  let sshd: Sshd;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = tempDir('cutover-race-');
    const key = makeKey(dir, 'id_ed25519');
    sshd = await startSshd({ addresses: ['127.0.0.2'], authorizedKeys: [key.pub] });
    writeFileSync(join(dir, 'known_hosts'), sshd.knownHosts(), { mode: 0o600 });
    mkdirSync(join(dir, 'out'));
    file = join(dir, 'rb.yaml');
    writeFileSync(
      file,
      `name: race
ssh: { user: ${sshd.user}, identityFile: ${key.path}, knownHosts: ${join(dir, 'known_hosts')} }
hosts:
  web: ["127.0.0.2:${sshd.port}"]
phases:
  - id: one
    title: One
    steps:
      - { id: deploy, title: Deploy, run: { on: web, command: "trap '' TERM; i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done" } }
rollback:
  levels:
    - id: back
      title: Back
      steps:
        - { id: undo, title: Undo, run: { on: web, command: "echo undone" } }
`,
    );
  }, 60_000);

  afterAll(async () => {
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function race(name: string, cancelGraceMs: number) {
    const rb = loadRunbookFile(file).runbook!;
    const path = join(dir, `${name}.jsonl`);
    const journal = await JournalWriter.create<SessionEvent>(path);
    const session = new Session({
      runbook: rb,
      runbookPath: file,
      runbookSha256: '',
      operator: 'alice',
      mode: 'live',
      version: 't',
      journal,
      executors: execDriverExecutors(rb, { env: process.env }),
      publishMs: 5,
      cancelGraceMs,
    });
    await session.start();
    expect(session.act('deploy')).toBeUndefined();
    await expect
      .poll(
        () =>
          session.store
            .events()
            .all()
            .filter((e) => e.type === 'command/output').length,
        { timeout: 15_000 },
      )
      .toBeGreaterThan(2);
    expect(session.confirmRollback('back')).toBeUndefined();
    // On screen while it waits: the pane says it is stopping the deploy, on which host, for how long at most.
    await expect
      .poll(() => selectRollback(session.state, session.now()).run?.stopping?.running.map((r) => r.host))
      .toEqual([`127.0.0.2:${sshd.port}`]);
    await session.rollbackSettled();
    await session.end();
    return readJournal<SessionEvent>(path).entries.map((e) => e.event);
  }

  it('waits for the deploy command to end before the first rollback command', async () => {
    const events = await race('waits', 5000);
    const at = (pred: (e: SessionEvent) => boolean) => events.findIndex(pred);
    const deployCmd = (events.find((e) => e.type === 'command/started' && e.step === 'deploy') as { cmd: string }).cmd;
    const confirmed = at((e) => e.type === 'rollback/confirmed');
    const exited = at((e) => e.type === 'command/exited' && e.cmd === deployCmd);
    const waited = at((e) => e.type === 'rollback/waited');
    const firstStep = at((e) => e.type === 'rollback/step' && e.status === 'started');
    expect(events[confirmed]).toMatchObject({ graceMs: 5000 });
    expect(confirmed).toBeLessThan(exited);
    expect(exited).toBeLessThan(waited);
    expect(waited).toBeLessThan(firstStep);
    // As root, sshd does not deliver TERM: the exit says the command may still run there, and the wait's record names the host.
    expect(events[exited]).toMatchObject({ code: null, error: expect.stringMatching(/cancelled|may still be running/) });
    const mayRun = /may still be running/.test((events[exited] as { error?: string }).error ?? '');
    expect((events[waited] as { running: unknown[] }).running).toEqual(mayRun ? [{ cmd: deployCmd, host: `127.0.0.2:${sshd.port}` }] : []);
    const lateTicks = events.slice(firstStep).filter((e) => e.type === 'command/output' && e.cmd === deployCmd);
    expect(lateTicks).toEqual([]);
    expect(events.find((e) => e.type === 'rollback/finished')).toMatchObject({ ok: true });
  }, 60_000);

  it('a grace shorter than the deploy takes to stop: the rollback starts anyway and says what still ran, by host', async () => {
    const events = await race('grace', 300);
    const waited = events.find((e) => e.type === 'rollback/waited') as { running: { host: string }[]; ms: number };
    expect(waited.running).toEqual([expect.objectContaining({ host: `127.0.0.2:${sshd.port}` })]);
    expect(waited.ms).toBeGreaterThanOrEqual(300);
    expect(events.find((e) => e.type === 'rollback/finished')).toMatchObject({ ok: true });
    expect(events.at(-1)).toMatchObject({ type: 'session/ended' });
  }, 60_000);
});
