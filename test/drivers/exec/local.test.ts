import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { recordingContext } from '../../../src/drivers/context.js';
import { ExecDriver } from '../../../src/drivers/exec/index.js';
import { tempDir } from '../../support/sshd.js';
import { outputOf, until } from './helpers.js';

const dir = tempDir('cutover-local-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function driver() {
  const ctx = recordingContext();
  return { d: new ExecDriver({ ctx, killGrace: 300, runbook: { redact: ['s3cr3t'] } }), events: ctx.events };
}

describe('local commands', () => {
  it('runs an argv list without a shell: metacharacters are plain arguments', async () => {
    const { d, events } = driver();
    const r = await d.runLocal({ step: 'l', command: ['echo', 'a;b', '$HOME', '`x`'] });
    expect(r).toMatchObject({ host: 'local', status: 'ok', code: 0, cmd: 'l#1@local' });
    expect(outputOf(events, 'local')).toBe('a;b $HOME `x`\n');
    expect(events[0]).toMatchObject({ type: 'command/started', host: 'local', command: "echo 'a;b' '$HOME' '`x`'" });
  });

  it('runs a string through a shell only with shell: true', async () => {
    const { d, events } = driver();
    expect(await d.runLocal({ step: 'l', command: 'echo one && echo two >&2; exit 4', shell: true })).toMatchObject({
      status: 'failed',
      code: 4,
    });
    expect(outputOf(events, 'local')).toBe('one\n');
    expect(outputOf(events, 'local', 'stderr')).toBe('two\n');
    expect(await d.runLocal({ step: 'l', command: 'echo x' })).toMatchObject({
      status: 'error',
      error: expect.stringContaining('shell: true'),
    });
  });

  it('passes env on top of the environment, and cwd', async () => {
    const { d, events } = driver();
    const cwd = join(dir, 'work');
    mkdirSync(cwd);
    await d.runLocal({ step: 'l', command: ['sh', '-c', 'echo "$CUTOVER_X:$PWD:${PATH:+path}"'], env: { CUTOVER_X: 'y' }, cwd });
    expect(outputOf(events, 'local')).toBe(`y:${cwd}:path\n`);
  });

  it('redacts output and the command line itself', async () => {
    const { d, events } = driver();
    await d.runLocal({ step: 'l', command: ['echo', 'token s3cr3t and AKIAIOSFODNN7EXAMPLE'] });
    expect(JSON.stringify(events)).not.toMatch(/s3cr3t|AKIAIOSFODNN7EXAMPLE/);
  });

  it('times out: TERM to the whole process group, even what the command started', async () => {
    const { d, events } = driver();
    const pidFile = join(dir, 'bg.pid');
    const t0 = Date.now();
    const r = await d.runLocal({ step: 'l', command: `sleep 30 & echo $! > ${pidFile}; wait`, shell: true, timeout: 300 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r).toMatchObject({ status: 'failed', code: null, signal: 'SIGTERM', error: 'timed out after 300ms' });
    const bg = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !alive(bg), 'the background sleep to die', 3000);
    expect(events.at(-1)).toMatchObject({ type: 'command/exited', error: 'timed out after 300ms' });
  });

  it('does not wait for a daemon that escaped the group and holds the output pipe', async () => {
    const { d, events } = driver();
    const pidFile = join(dir, 'daemon.pid');
    const t0 = Date.now();
    const r = await d.runLocal({ step: 'l', command: `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 30' & echo started`, shell: true });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r).toMatchObject({ status: 'ok', code: 0 });
    expect(outputOf(events, 'local')).toBe('started\n');
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the daemon pid');
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  });

  it('kills a command that ignores TERM after the grace period', async () => {
    const { d } = driver();
    const t0 = Date.now();
    const r = await d.runLocal({ step: 'l', command: "trap '' TERM; sleep 30", shell: true, timeout: 200 });
    expect(r).toMatchObject({ code: null, signal: 'SIGKILL', error: 'timed out after 200ms' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('cancels on abort', async () => {
    const { d, events } = driver();
    const ac = new AbortController();
    const p = d.runLocal({ step: 'l', command: ['sh', '-c', 'echo ready; sleep 30'], signal: ac.signal });
    await until(() => outputOf(events, 'local') === 'ready\n', 'the command to print ready');
    ac.abort();
    expect(await p).toMatchObject({ status: 'failed', signal: 'SIGTERM', error: 'cancelled' });
  });

  it('cancels on an abort that comes while execa is still loading', async () => {
    const { d } = driver();
    const ac = new AbortController();
    const t0 = Date.now();
    const p = d.runLocal({ step: 'l', command: ['sleep', '10'], signal: ac.signal });
    ac.abort(); // runLocal is now awaiting its import of execa
    expect((await p).error).toMatch(/^cancelled/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('redacts error messages too', async () => {
    const { d, events } = driver();
    const r = await d.runLocal({ step: 'l', command: ['/nonexistent/s3cr3t-tool'] });
    expect(r).toMatchObject({ status: 'error', error: expect.stringContaining('command not found: /nonexistent/[REDACTED]-tool') });
    expect(JSON.stringify(events)).not.toMatch(/s3cr3t/);
  });

  it('reports a missing binary and a missing cwd without throwing', async () => {
    const { d } = driver();
    expect(await d.runLocal({ step: 'l', command: ['cutover-no-such-binary'] })).toMatchObject({
      status: 'error',
      error: 'local: command not found: cutover-no-such-binary; check PATH or give the full path',
    });
    const gone = join(dir, 'gone');
    expect(await d.runLocal({ step: 'l', command: ['true'], cwd: gone })).toMatchObject({
      status: 'error',
      error: expect.stringContaining(`${gone} does not exist`),
    });
    expect(existsSync(gone)).toBe(false);
  });

  it('runs a local step through runStep', async () => {
    const { d } = driver();
    const r = await d.runStep({ id: 'undo', title: 'Undo', local: { command: ['true'] } });
    expect(r).toMatchObject({ ok: true, results: [{ host: 'local', code: 0 }] });
  });
});

/** True while the process runs; a zombie waiting for init to reap it counts as dead. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
