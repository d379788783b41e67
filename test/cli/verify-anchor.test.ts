// `cutover verify` through the CLI on what the chain alone calls intact: a dropped tail, a chain
// recomputed after an edit, a 100 MB line; then the signature, made by `cutover run` at session end
// and checked with --signers, against a wrong signer and a rewritten head.
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { encodeLine, GENESIS_HASH, JournalWriter, type JournalEvent } from '../../src/journal/index.js';
import { needBinary } from '../support/binaries.js';
import { captureIo } from '../support/io.js';
import { makeKey } from '../support/sshd.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-verify-anchor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keygen = needBinary('ssh-keygen', 'openssh-client');

const lines = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean);
const write = (p: string, ls: string[]) => writeFileSync(p, ls.map((l) => `${l}\n`).join(''));

async function journal(name: string): Promise<string> {
  const p = join(dir, name);
  const w = await JournalWriter.create(p);
  await w.append({ type: 'session/started', t: 1000, sessionId: name });
  for (let i = 2; i <= 8; i++) await w.append({ type: 'note/added', t: 1000 + i, operator: 'alice', text: `note ${i}` });
  await w.close();
  return p;
}

async function verify(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ PATH: process.env.PATH });
  const code = await runCli(['verify', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('cutover verify: the head anchor', () => {
  it('intact: exit 0, what was checked, and a note for the missing signature', async () => {
    const p = await journal('ok.jsonl');
    const r = await verify(p);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `${p}: intact, 8 events\n  chain: 8 lines chained\n  head: line 8 has the hash the head names (written when the journal was closed)\n` +
        `note: ${p}.head.sig: signature absent: the journal was not signed (the operator had no SSH key, or signing was skipped)\n`,
    );
  });

  it('the last lines removed: exit 1, truncated after line N with what the head says', async () => {
    const p = await journal('tail.jsonl');
    const hash = JSON.parse(lines(p)[7]).hash as string;
    write(p, lines(p).slice(0, 5));
    const r = await verify(p);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe(`${p}:5: truncated after line 5 (head says seq 8, hash ${hash})`);
  });

  it('a line edited and the chain recomputed: exit 1, head mismatch at the head line', async () => {
    const p = await journal('recomputed.jsonl');
    let prev = GENESIS_HASH;
    const forged = lines(p).map((l, i) => {
      const { seq: _s, hash: _h, ...e } = JSON.parse(l) as JournalEvent & { seq: number; hash: string };
      const line = encodeLine(i + 1, prev, i === 3 ? { ...e, text: 'all fine, I checked' } : e);
      prev = line.hash;
      return line.text;
    });
    write(p, forged);
    const r = await verify(p);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toMatch(
      new RegExp(`^${p}:8: head mismatch at line 8: the head says hash [0-9a-f]{32}, the chain gives [0-9a-f]{32}`),
    );
  });

  it('a 100 MB line: exit 1, named with its line and the limit', async () => {
    const p = await journal('huge.jsonl');
    const fd = openSync(p, 'a');
    writeSync(fd, Buffer.alloc(100 * 1024 * 1024, 0x20));
    writeSync(fd, '\n');
    closeSync(fd);
    const r = await verify(p);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe(`${p}:9: corrupt: line 9 is longer than the limit (64 MB): 100 MB, which cutover never writes`);
  }, 30_000);

  it('usage: an unknown option exits 64; a --signers file that does not exist is one line, exit 1', async () => {
    const p = await journal('usage.jsonl');
    const bad = captureIo();
    expect(await runCli(['verify', p, '--sign'], bad)).toBe(64);
    const r = await verify(p, '--signers', join(dir, 'nope'));
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(new RegExp(`^${dir}/nope: no such allowed signers file .*\\n$`));
  });
});

describe.skipIf(!keygen)('cutover run signs, cutover verify --signers checks', () => {
  const home = join(dir, 'home');
  mkdirSync(home);
  const alice = makeKey(home, 'alice');
  const mallory = makeKey(home, 'mallory');
  const signers = join(home, 'allowed_signers');
  writeFileSync(signers, `alice@example.com ${alice.pub}\n`);
  const others = join(home, 'others');
  writeFileSync(others, `mallory@example.com ${mallory.pub}\n`);
  const runbook = join(home, 'rb.yaml');
  writeFileSync(
    runbook,
    'name: signed\nphases:\n  - id: one\n    title: One\n    steps:\n      - { id: hi, title: Hi, local: { command: [echo, hi] } }\n',
  );
  let n = 0;

  async function run(...flags: string[]): Promise<{ code: number; err: string; journal: string }> {
    const state = join(home, `state${++n}`);
    const io = captureIo({ XDG_STATE_HOME: state, USER: 'alice', PATH: process.env.PATH, HOME: home });
    const code = await runCli(['run', '-f', runbook, '--yes', ...flags], io);
    const sessions = join(state, 'cutover', 'sessions');
    const journal = join(sessions, readdirSync(sessions).find((f) => f.endsWith('.jsonl'))!);
    return { code, err: io.stderr(), journal };
  }

  it('signs at session end with --sign-key; verify --signers names the signer', async () => {
    const r = await run('--sign-key', alice.path);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      new RegExp(`^cutover: journal signed with ED25519 key SHA256:\\S+ \\(--sign-key\\): ${r.journal}\\.head\\.sig\\n$`),
    );
    const v = await verify(r.journal, '--signers', signers);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^ {2}signature: good, by alice@example.com \(ED25519 key SHA256:\S+\)$/m);
    expect(v.out).not.toMatch(/^note:/m);
    // The same journal against an allowed_signers file that does not hold alice's key.
    const w = await verify(r.journal, '--signers', others);
    expect(w.code).toBe(1);
    expect(w.out).toMatch(
      new RegExp(
        `^${r.journal}\\.head\\.sig: signature invalid: made with ED25519 key SHA256:\\S+, which no principal in ${others} holds$`,
        'm',
      ),
    );
  });

  it('a head rewritten to match a cut tail: the head layer is fooled, the signature is not', async () => {
    const r = await run('--sign-key', alice.path);
    const kept = lines(r.journal).slice(0, -1);
    write(r.journal, kept);
    const head = JSON.parse(readFileSync(`${r.journal}.head`, 'utf8'));
    writeFileSync(`${r.journal}.head`, `${JSON.stringify({ ...head, seq: kept.length, hash: JSON.parse(kept.at(-1)!).hash })}\n`);
    const v = await verify(r.journal, '--signers', signers);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/signature invalid: it does not verify as alice@example.com \(.*\): the head was changed after it was signed/);
  });

  it('--no-sign: no signature, and verify --signers says it is absent', async () => {
    const r = await run('--no-sign');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(existsSync(`${r.journal}.head.sig`)).toBe(false);
    const v = await verify(r.journal, '--signers', signers);
    expect(v.code).toBe(1);
    expect(v.out).toBe(`${r.journal}.head.sig: signature absent: --signers asks for a signed head, and this journal was not signed\n`);
  });

  it('a key that cannot sign: one line on stderr, the exit code and the journal unchanged', async () => {
    const r = await run('--sign-key', join(home, 'missing-key'));
    expect(r.code).toBe(0);
    expect(r.err).toBe(`cutover: the journal was not signed: ${join(home, 'missing-key')}: no such key file (--sign-key)\n`);
    expect((await verify(r.journal)).code).toBe(0);
  });
});
