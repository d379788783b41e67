// Crash resume with a real SIGKILL: `cutover run` (a child process, no terminal) deploys; the
// error ratio from a (fake) Prometheus fires an auto trigger, whose rollback runs a long local
// command; the console is killed with -9 in the middle of it. `cutover run --resume` rebuilds the
// state from the journal, records a resumed event, shows the command in flight as "outcome
// unknown (console restarted)", and never runs it again. The journal still verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { reduceAll, type SessionEvent } from '../../src/core/index.js';
import { readJournal, verifyChain } from '../../src/journal/index.js';
import { openReplay } from '../../src/replay/open.js';
import { replayModel } from '../../src/replay/model.js';
import { App } from '../../src/ui/App.js';
import { captureIo } from '../support/io.js';
import { renderSized } from '../support/ink.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-resume-'));
const state = join(dir, 'state');
const sessions = join(state, 'cutover', 'sessions');
const marker = join(dir, 'ran');
const pidFile = join(dir, 'pid');
let errorRatio = 0.5;
let prom: Server;
let child: ChildProcess | undefined;

beforeAll(async () => {
  // Answers instant and range queries with the current error ratio, as Prometheus's HTTP API does.
  prom = createServer((req, res) => {
    const now = Date.now() / 1000;
    const range = req.url?.startsWith('/api/v1/query_range');
    const result = range
      ? [
          {
            metric: {},
            values: [
              [now - 5, String(errorRatio)],
              [now, String(errorRatio)],
            ],
          },
        ]
      : [{ metric: {}, value: [now, String(errorRatio)] }];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data: { resultType: range ? 'matrix' : 'vector', result } }));
  });
  await new Promise<void>((r) => prom.listen(0, '127.0.0.1', r));
  mkdirSync(state);
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // The rollback's `sleep` outlives the killed console (its own process group): end it by its pid.
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await new Promise((r) => prom.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function runbook(): string {
  const file = join(dir, 'rb.yaml');
  const port = (prom.address() as AddressInfo).port;
  writeFileSync(
    file,
    `name: resume under fire
prometheus: { url: "http://127.0.0.1:${port}", interval: 1s, timeout: 1s }
health:
  - { id: errors, title: Error ratio, query: errors_ratio, unit: ratio, crit: "> 0.1" }
phases:
  - id: deploy
    title: Deploy
    steps:
      - { id: soak, title: Soak, wait: 1m }
rollback:
  levels:
    - id: undo
      title: Undo the deploy
      expected: 1m
      steps:
        - { id: revert, title: Revert (slow), local: { command: [sh, -c, "echo ran >> ${marker}; echo $$ > ${pidFile}; echo reverting; exec sleep 30"] } }
  triggers:
    - { id: errors-high, when: "errors > 0.1", severity: critical, recommend: undo, auto: true, countdown: 5s }
`,
  );
  return file;
}

async function poll<T>(what: string, f: () => T | undefined, ms = 20_000): Promise<T> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const v = f();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('cutover run --resume after SIGKILL in the middle of a rollback', () => {
  it('rebuilds the state, marks the command in flight unknown, never re-runs it; the journal verifies', async () => {
    const env = { ...process.env, XDG_STATE_HOME: state, USER: 'alice', NODE_ENV: 'production' };
    child = spawn(process.execPath, ['bin/cutover', 'run', '-f', runbook(), '--yes'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (b) => (output += b));
    child.stderr!.on('data', (b) => (output += b));
    const journal = await poll('the journal', () =>
      existsSync(sessions)
        ? readdirSync(sessions)
            .filter((f) => f.endsWith('.jsonl'))
            .map((f) => join(sessions, f))[0]
        : undefined,
    );
    // The rollback's command is running (journaled, and the marker written): kill -9 the console now.
    await poll('the rollback command to start', () =>
      readFileSync(journal, 'utf8').includes('"type":"command/started","t"') && existsSync(pidFile) ? true : undefined,
    );
    const exited = new Promise<NodeJS.Signals | null>((r) => child!.once('exit', (_c, sig) => r(sig)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toMatch(/rolled back/);
    const before = readJournal<SessionEvent>(journal).entries.map((e) => e.event);
    expect(before.at(-1)?.type).not.toBe('session/ended');
    expect(before.some((e) => e.type === 'rollback/confirmed' && e.auto)).toBe(true);

    // Resume without a terminal, as bob; Prometheus is healthy again.
    errorRatio = 0.01;
    const io = captureIo({ ...env, USER: 'bob' });
    expect(await runCli(['run', '--resume', journal], io)).toBe(1);
    expect(io.stdout()).toMatch(/session resumed by bob after event \d+/);
    expect(io.stdout()).toMatch(/cutover: rolled back \(undo\): interrupted by a restart, outcome unknown/);
    // runCli has ended the session and closed its executors: nothing can start after this point.
    expect(readFileSync(marker, 'utf8')).toBe('ran\n');

    expect(verifyChain(journal)).toMatchObject({ ok: true, torn: false });
    const events = readJournal<SessionEvent>(journal).entries.map((e) => e.event);
    expect(events.filter((e) => e.type === 'command/started')).toHaveLength(1);
    expect(events.find((e) => e.type === 'session/resumed')).toMatchObject({ operator: 'bob', afterSeq: before.length });
    const s = reduceAll(events);
    const cmd = Object.values(s.commands)[0];
    expect(cmd).toMatchObject({ host: 'local', code: null, error: 'outcome unknown (console restarted)' });
    expect(s.rollback.run).toMatchObject({ level: 'undo', interrupted: expect.any(Number) });
    expect(s.session).toMatchObject({ outcome: 'rollback-interrupted' });

    // What the console shows for it (the replay folds the same events with the same reducer).
    const player = await openReplay(journal, { paused: true });
    await player.index.run();
    player.seekFraction(1);
    const r = renderSized(
      <App model={replayModel(player, { journalPath: journal, color: false, onQuit: () => {} })} color={false} />,
      160,
      40,
    );
    try {
      await expect.poll(() => r.lastFrame()).toMatch(/INTERRUPTED undo by auto \(errors-high\)/);
      expect(r.lastFrame()).toMatch(/local\s+unknown\s+\S+\s+outcome unknown \(console restarted\)/);
      expect(r.lastFrame()).toMatch(/✗ Revert \(slow\): outcome unknown \(console restarted\)/);
    } finally {
      r.unmount();
      player.index.close();
    }
  }, 60_000);
});
