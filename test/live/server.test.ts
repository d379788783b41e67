// The console's live socket: 0600 from the first moment, removed at the end, a stale one from a crashed
// console replaced, a live one never stolen; and bounded, so no client can stall the console: an oversized
// line, a silent client and 50 clients at once are each answered or closed while the console goes on journaling.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask } from '../../src/live/client.js';
import { listenLive } from '../../src/live/server.js';
import { MAX_REQUEST_BYTES, socketPath, type Answer } from '../../src/live/protocol.js';
import type { Session } from '../../src/session/session.js';
import type { LiveServer } from '../../src/live/server.js';
import { tempDir } from '../journal/helpers.js';
import { failWrites } from '../support/disk-full.js';
import { liveSession, SOURCE } from './helpers.js';

const open: { session: Session; server: LiveServer }[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const o of open.splice(0)) {
    await o.session.end();
    await o.server.close();
  }
});

async function started(o: Parameters<typeof liveSession>[0] = {}) {
  const s = await liveSession(o);
  open.push(s);
  return s;
}

/** A raw client: connects, and collects what the console says until it closes. */
function client(path: string): Promise<{ sock: Socket; said: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const sock = connect(path);
    sockets.push(sock);
    let said = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => void (said += d));
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.once('error', reject);
    sock.once('connect', () => resolve({ sock, said: () => said, closed }));
  });
}

/** A mark through the socket, answered once journaled. */
const mark = (journal: string, text: string) => ask(socketPath(journal), { op: 'mark', kind: 'info', text, source: SOURCE });

/** A socket file left by a console that was killed (SIGKILL leaves it behind: nothing unlinks it). */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
  ]);
  await new Promise((r) => child.once('exit', r));
  expect(lstatSync(path).isSocket()).toBe(true);
}

describe('the socket file', () => {
  it('is 0600 while the console runs, answers hello, and is gone once it closes', async () => {
    const { journal, server, session } = await started();
    const path = socketPath(journal);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await ask(path, { op: 'hello' })).toEqual({
      ok: true,
      session: { id: session.state.session!.id, runbook: 'two people', operator: 'alice', journal },
    });
    await server.close();
    expect(existsSync(path)).toBe(false);
    // The private directory it was bound in is gone too: nothing but the journal's files is left.
    expect(readdirSync(join(journal, '..')).filter((n) => n.startsWith('.s'))).toEqual([]);
  });

  it('replaces a stale socket of a crashed console, and refuses to take over one that answers', async () => {
    const dir = tempDir();
    const journal = join(dir, 'j.jsonl');
    await staleSocket(socketPath(journal));
    const desk = {
      hello: () => ({ id: 'x', runbook: 'r', operator: 'o', journal }),
      mark: async () => ({ seq: 1 }),
      approve: async () => ({ seq: 1 }),
    };
    const first = await listenLive(journal, desk);
    expect(await ask(first.path, { op: 'hello' })).toMatchObject({ ok: true });
    await expect(listenLive(journal, desk)).rejects.toThrow(
      `another console is live on ${socketPath(journal)}: one journal has one console`,
    );
    // The refused second console did not remove the first one's socket.
    expect(await ask(first.path, { op: 'hello' })).toMatchObject({ ok: true });
    await first.close();
    writeFileSync(socketPath(journal), 'not a socket');
    await expect(listenLive(journal, desk)).rejects.toThrow(/exists and is not a socket: move it away/);
  });
});

describe('bounds: no client stalls the console', () => {
  it('an oversized line is refused in one line and closed, while others are answered', async () => {
    const { journal, events } = await started();
    const c = await client(socketPath(journal));
    c.sock.write('x'.repeat(MAX_REQUEST_BYTES + 10));
    await c.closed;
    expect(c.said()).toBe(
      `${JSON.stringify({ ok: false, error: `the request is longer than ${MAX_REQUEST_BYTES} bytes; one line of JSON is much less` })}\n`,
    );
    expect(await mark(journal, 'still here')).toMatchObject({ ok: true });
    expect(events().filter((e) => e.type === 'mark/added')).toHaveLength(1);
  });

  it('a client that asks and never reads is disconnected before its answers pile up in the console', async () => {
    const { journal } = await started();
    const c = await client(socketPath(journal));
    c.sock.pause();
    let gone = false;
    void c.closed.then(() => (gone = true));
    // Eight at a time (the queue's bound), each batch once the console answered the last: until it hangs up.
    for (let i = 0; i < 2000 && !gone; i++) {
      c.sock.write(`${JSON.stringify({ op: 'hello' })}\n`.repeat(8));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(gone).toBe(true);
    expect(await mark(journal, 'still here')).toMatchObject({ ok: true });
  });

  it('a silent client is told and closed after the deadline; meanwhile the console journals and answers', async () => {
    const { journal, session } = await started({ requestMs: 300 });
    const c = await client(socketPath(journal));
    c.sock.write('{"op":"hel');
    const t0 = Date.now();
    expect(await mark(journal, 'while one is silent')).toMatchObject({ ok: true });
    expect(session.note('the console acts as usual')).toBeUndefined();
    await c.closed;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(JSON.parse(c.said())).toEqual({ ok: false, error: 'no complete request within 0.3 s: send one JSON line' });
  });

  it('50 clients at once: at most maxClients are held, the rest told busy, every one answered in one line', async () => {
    const { journal, server, events } = await started({ maxClients: 8, requestMs: 500 });
    const path = socketPath(journal);
    // 50 silent clients: 8 are held until their deadline, 42 are told busy and closed at once.
    const silent = await Promise.all(Array.from({ length: 50 }, () => client(path)));
    await expect.poll(() => silent.filter((c) => c.said() !== '').length).toBeGreaterThanOrEqual(42);
    expect(server.clients()).toBeLessThanOrEqual(8);
    const busy = silent.filter((c) => c.said().includes('busy'));
    expect(busy.length).toBe(42);
    for (const c of busy)
      expect(c.said()).toMatch(/^\{"ok":false,"error":"the console is busy \(8 connections\); try again in a few seconds"\}\n$/);
    // The console itself never waited: a mark from inside the session is journaled meanwhile.
    const before = events().length;
    expect(open[0].session.note('journaling while 50 knock')).toBeUndefined();
    await expect.poll(() => events().length).toBeGreaterThan(before);
    // Once the silent ones are closed, 50 marks at once: each answered in one line, ok or busy; every ok is journaled.
    await Promise.all(silent.map((c) => c.closed));
    const answers: Answer[] = await Promise.all(Array.from({ length: 50 }, (_, i) => mark(journal, `mark ${i}`)));
    for (const a of answers) expect(a.ok || /busy/.test(a.error)).toBe(true);
    const ok = answers.filter((a) => a.ok);
    expect(ok.length).toBeGreaterThanOrEqual(8);
    expect(events().filter((e) => e.type === 'mark/added')).toHaveLength(ok.length);
    expect(new Set(ok.map((a) => a.ok && a.seq)).size).toBe(ok.length);
  });

  it('refuses requests that are not the protocol, one line each', async () => {
    const { journal } = await started();
    const path = socketPath(journal);
    const raw = async (line: string) => {
      const c = await client(path);
      c.sock.write(`${line}\n`);
      await expect.poll(() => c.said()).toMatch(/\n$/);
      return JSON.parse(c.said()) as Answer;
    };
    expect(await raw('hello')).toEqual({ ok: false, error: 'the request is not JSON: send one JSON object per line, like {"op":"hello"}' });
    expect(await raw('{"op":"rm -rf"}')).toEqual({ ok: false, error: 'unknown op "rm -rf"; this console answers hello, mark and approve' });
    expect(await raw('{"op":"mark","kind":"shout","text":"x"}')).toEqual({
      ok: false,
      error: 'kind must be one of info, warning, error, phase',
    });
    expect(await raw(JSON.stringify({ op: 'mark', kind: 'info', text: 'x' }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^source must say who/),
    });
    // The console checks the text itself: a client that skips mark's own checks is refused the same way.
    expect(await raw(JSON.stringify({ op: 'mark', kind: 'info', text: 'a'.repeat(501), source: SOURCE }))).toEqual({
      ok: false,
      error: 'the mark is 501 characters long; at most 500 are taken',
    });
    expect(await raw(JSON.stringify({ op: 'mark', kind: 'info', text: 'red\u001b[31m', source: SOURCE }))).toEqual({
      ok: false,
      error: 'the mark contains an escape (ESC) (U+001B) at character 4; give one line of plain text',
    });
  });
});

describe('a mark is answered once it is on disk', () => {
  afterEach(() => vi.restoreAllMocks());

  it('while the journal cannot write, mark is told so (not recorded); once it writes again, ok with its line', async () => {
    const { journal, session, events } = await started();
    let full = true;
    failWrites(() => full);
    const a = await mark(journal, 'disk is full');
    expect(a).toEqual({
      ok: false,
      error: 'the console is NOT RECORDING (no space left on device (ENOSPC)): the mark is shown, not on disk yet',
    });
    expect(session.store.notRecording).toBeDefined();
    full = false;
    await expect.poll(() => session.store.notRecording, { timeout: 5000 }).toBeUndefined();
    const b = await mark(journal, 'disk has room');
    expect(b).toMatchObject({ ok: true });
    const ev = events();
    // The answer's seq is the mark's own line, and the first one reached the disk too once it could.
    expect(ev[(b.ok ? (b.seq ?? 0) : 0) - 1]).toMatchObject({ type: 'mark/added', text: 'disk has room' });
    expect(ev.filter((e) => e.type === 'mark/added').map((e) => e.type === 'mark/added' && e.text)).toEqual([
      'disk is full',
      'disk has room',
    ]);
  });
});
