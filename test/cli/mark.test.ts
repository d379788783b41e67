// `cutover mark` from a deploy script during a real run, and a second approver: `cutover run --yes` (no
// terminal) runs a shell script that forwards its own timeline calls to mark; the run's gate needs two
// people, and a second person answers through the socket. Then the marks are in the journal, the
// printed timeline, replay and the report; the socket file was 0600 and is gone. And mark's refusals.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { ask } from '../../src/live/client.js';
import { socketPath } from '../../src/live/protocol.js';
import { readJournal } from '../../src/journal/index.js';
import type { SessionEvent } from '../../src/core/index.js';
import { tempDir } from '../journal/helpers.js';
import { captureIo } from '../support/io.js';

const BIN = join(process.cwd(), 'bin', 'cutover');

/** The deploy script: its own log function also marks the console's timeline; a failed mark never stops it. */
const SCRIPT = `#!/bin/sh
log_step() { echo "$*"; "$NODE" "$CUTOVER" mark --kind phase "$*" || true; }
log_step "migrating the database"
"$NODE" "$CUTOVER" mark --kind error "smoke test failed on web-2"; echo "error mark exit $?"
"$NODE" "$CUTOVER" mark "$(printf 'bad\\033[31mred')"; echo "escape mark exit $?"
`;

const events = (journal: string) => readJournal<SessionEvent>(journal).entries.map((e) => e.event);

describe('cutover mark from a script during a run, and a second approver', () => {
  it('marks reach the timeline, journal, replay and report; the gate waits for bob; the socket is 0600 and removed', async () => {
    const dir = tempDir();
    const state = join(dir, 'state');
    mkdirSync(state, { mode: 0o700 });
    writeFileSync(join(dir, 'deploy.sh'), SCRIPT);
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: scripted deploy
phases:
  - id: prep
    title: Prepare
    steps:
      - { id: script, title: Run the deploy script, local: { command: [sh, ${join(dir, 'deploy.sh')}] } }
    gate: { title: Go on?, approvals: 2 }
  - id: finish
    title: Finish
    steps:
      - { id: done, title: Done, local: { command: [echo, done] } }
`,
    );
    const env = { ...process.env, XDG_STATE_HOME: state, USER: 'alice', NO_COLOR: '1', NODE: process.execPath, CUTOVER: BIN };
    const child = spawn(process.execPath, [BIN, 'run', '-f', join(dir, 'rb.yaml'), '--yes'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));

    await expect.poll(() => /^journal: (.+)$/m.exec(out)?.[1], { timeout: 20_000 }).toBeDefined();
    const journal = /^journal: (.+)$/m.exec(out)![1];
    const sock = socketPath(journal);
    // The script ran and marked; the gate asked for a second person.
    const request = () => events(journal).find((e) => e.type === 'approval/requested');
    await expect.poll(request, { timeout: 20_000 }).toBeDefined();
    expect(statSync(sock).mode & 0o777).toBe(0o600);
    const id = (request() as Extract<SessionEvent, { type: 'approval/requested' }>).id;
    const source = { user: 'x', pid: process.pid, command: 'vitest' };
    expect(await ask(sock, { op: 'approve', request: id, decision: 'approve', by: 'alice', source })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^alice asked for this approval/),
    });
    expect(
      await ask(sock, { op: 'approve', request: id, decision: 'approve', by: 'bob', reason: 'checked the canary', source }),
    ).toMatchObject({
      ok: true,
    });
    expect(await exited).toBe(0);
    expect(err).toBe('');
    expect(existsSync(sock)).toBe(false);

    const ev = events(journal);
    const marks = ev.filter((e) => e.type === 'mark/added');
    expect(marks.map((m) => [m.kind, m.text, m.source.user])).toEqual([
      ['phase', 'migrating the database', 'alice'],
      ['error', 'smoke test failed on web-2', 'alice'],
    ]);
    // The sender is the script: its pid and command line.
    for (const m of marks) expect(m.source.command).toBe(`sh ${join(dir, 'deploy.sh')}`);
    expect(new Set(marks.map((m) => m.source.pid)).size).toBe(1);
    const output = ev.flatMap((e) => (e.type === 'command/output' ? [e.text] : [])).join('');
    expect(output).toContain('error mark exit 0');
    expect(output).toContain('escape mark exit 65');
    // Each mark's exit came after its line was journaled: it precedes the script's end.
    expect(ev.findIndex((e) => e.type === 'mark/added')).toBeLessThan(ev.findIndex((e) => e.type === 'step/passed'));
    expect(ev.find((e) => e.type === 'gate/decided')).toMatchObject({ operator: 'alice', approvedBy: 'bob' });

    // The printed timeline, replay's story and the report tell them.
    const phaseLine = '▶▶ migrating the database (alice: sh deploy.sh)';
    expect(out).toContain(phaseLine);
    const replay = spawnSync(process.execPath, [BIN, 'replay', journal], { env, encoding: 'utf8' });
    expect(replay.stdout).toContain(phaseLine);
    expect(replay.stdout).toMatch(/!! mark ERROR: smoke test failed on web-2/);
    expect(replay.stdout).toMatch(/request gate-prep-go-\d+ approved by bob: checked the canary/);
    const report = spawnSync(process.execPath, [BIN, 'report', journal], { env, encoding: 'utf8' });
    expect(report.stdout).toContain('mark ERROR: smoke test failed on web-2');
    expect(report.stdout).toContain('alice, approved by bob');
  });
});

describe('cutover mark refuses, in one line', () => {
  const run = async (args: string[], env: NodeJS.ProcessEnv) => {
    const io = captureIo({ USER: 'ci', ...env });
    const code = await runCli(['mark', ...args], io);
    return { code, err: io.stderr(), out: io.stdout() };
  };

  it('when no session is live (none at all, or only the dead socket of a crashed console)', async () => {
    const state = tempDir();
    const none = await run(['deploy started'], { XDG_STATE_HOME: state });
    expect(none).toEqual({
      code: 1,
      out: '',
      err: `cutover mark: no live session in ${join(state, 'cutover', 'sessions')}: start one with cutover run, or name its journal with --session JOURNAL\n`,
    });
    const sessions = join(state, 'cutover', 'sessions');
    mkdirSync(sessions, { recursive: true });
    const journal = join(sessions, 'j.jsonl');
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socketPath(journal))}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await new Promise((r) => child.once('exit', r));
    expect(lstatSync(socketPath(journal)).isSocket()).toBe(true);
    const dead = await run(['deploy started'], { XDG_STATE_HOME: state });
    expect(dead.code).toBe(1);
    expect(dead.err).toBe(
      `cutover mark: no live session in ${sessions} (1 socket there, none answers): start one with cutover run, or name its journal with --session JOURNAL\n`,
    );
    const named = await run(['--session', journal, 'deploy started'], { XDG_STATE_HOME: state });
    expect(named).toMatchObject({
      code: 1,
      err: `cutover mark: ${socketPath(journal)}: no live session there (the console has ended, or never started)\n`,
    });
    expect(readdirSync(sessions)).toEqual([basename(socketPath(journal))]);
  });

  it('a text too long, empty, or with control characters: exit 65, saying which', async () => {
    const env = { XDG_STATE_HOME: tempDir() };
    expect(await run(['x'.repeat(501)], env)).toEqual({
      code: 65,
      out: '',
      err: 'cutover mark: the mark is 501 characters long; at most 500 are taken\n',
    });
    expect(await run(['  '], env)).toEqual({ code: 65, out: '', err: 'cutover mark: the mark is empty: give the text to show\n' });
    expect((await run(['two\nlines'], env)).err).toBe(
      'cutover mark: the mark contains a newline (U+000A) at character 4; give one line of plain text\n',
    );
    expect((await run(['bidi \u202e txt'], env)).err).toBe(
      'cutover mark: the mark contains the control character U+202E at character 6; give one line of plain text\n',
    );
    expect((await run(['--kind', 'loud', 'x'], env)).code).toBe(64);
  });
});
