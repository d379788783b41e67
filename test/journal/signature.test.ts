// The signature layer with the real OpenSSH tools: a key file and a real ssh-agent sign the head,
// `ssh-keygen -Y verify` against an allowed_signers file checks it, and a wrong signer, a changed
// head, an encrypted key, a missing or hanging ssh-keygen each end in one clear line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs, { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkIntegrity, headPath, JournalWriter, signJournal, sigPath } from '../../src/journal/index.js';
import { needBinary } from '../support/binaries.js';
import { makeKey, startAgent, tempDir, type Agent } from '../support/sshd.js';
import { linesOf } from './helpers.js';

const keygen = needBinary('ssh-keygen', 'openssh-client');
const agentBin = needBinary('ssh-agent', 'openssh-client');
const FP = 'ED25519 key SHA256:[A-Za-z0-9+/]{43}';

describe.skipIf(!keygen || !agentBin)('journal signatures with ssh-keygen', () => {
  const dir = tempDir('cutover-sign-');
  const alice = makeKey(dir, 'alice');
  const mallory = makeKey(dir, 'mallory');
  const enc = makeKey(dir, 'enc', 'correct horse');
  const signers = join(dir, 'allowed_signers');
  writeFileSync(signers, `alice@example.com ${alice.pub}\nenc@example.com ${enc.pub}\n`);
  const env = { PATH: process.env.PATH };
  let agent: Agent;
  let n = 0;

  beforeAll(async () => {
    mkdirSync(join(dir, 'agent'));
    agent = await startAgent(join(dir, 'agent'));
    agent.add(enc.path, 'correct horse');
  });
  afterAll(async () => {
    await agent?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function journal(): Promise<string> {
    const p = join(dir, `j${++n}.jsonl`);
    const w = await JournalWriter.create(p);
    await w.append({ type: 'session/started', t: 1000, sessionId: `s${n}` });
    for (let i = 2; i <= 6; i++) await w.append({ type: 'gate/decided', t: 1000 + i, gate: `g${i}`, decision: 'go' });
    await w.close();
    return p;
  }

  it('signs with a key file and verifies against allowed_signers; the signature is 0600', async () => {
    const p = await journal();
    const r = await signJournal(p, { keyFile: alice.path, env });
    expect(r).toEqual({ signed: { sig: sigPath(p), key: expect.stringMatching(new RegExp(`^${FP}$`)), via: '--sign-key' } });
    expect(statSync(sigPath(p)).mode & 0o777).toBe(0o600);
    expect(readFileSync(sigPath(p), 'utf8')).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    const v = await checkIntegrity(p, { signers, env });
    expect(v).toMatchObject({ intact: true, problems: [], notes: [] });
    expect(v.checked?.at(-1)).toMatch(new RegExp(`^signature: good, by alice@example.com \\(${FP}\\)$`));
  });

  it("signs with a real ssh-agent's first key (its file is encrypted), with no key named", async () => {
    const p = await journal();
    const home = join(dir, 'home-agent');
    mkdirSync(home);
    const r = await signJournal(p, { env: { ...env, HOME: home, SSH_AUTH_SOCK: agent.sock } });
    expect(r).toMatchObject({ signed: { via: 'ssh-agent' } });
    const v = await checkIntegrity(p, { signers, env });
    expect(v.intact).toBe(true);
    expect(v.checked?.at(-1)).toMatch(/^signature: good, by enc@example.com/);
  });

  it('CUTOVER_SIGN_KEY names the key when no flag does; ~/.ssh/id_ed25519 is the last resort; no key at all is skipped, not an error', async () => {
    const p = await journal();
    expect(await signJournal(p, { env: { ...env, CUTOVER_SIGN_KEY: alice.path } })).toMatchObject({ signed: { via: 'CUTOVER_SIGN_KEY' } });
    const home = join(dir, 'home-file');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    expect(await signJournal(p, { env: { ...env, HOME: home } })).toEqual({
      skipped: 'no SSH key to sign with (no ssh-agent key, no ~/.ssh/id_ed25519; --sign-key FILE names one)',
    });
    fs.copyFileSync(alice.path, join(home, '.ssh', 'id_ed25519'));
    fs.chmodSync(join(home, '.ssh', 'id_ed25519'), 0o600);
    expect(await signJournal(p, { env: { ...env, HOME: home } })).toMatchObject({ signed: { via: '~/.ssh/id_ed25519' } });
    expect((await checkIntegrity(p, { signers, env })).intact).toBe(true);
  });

  it('a signer not in allowed_signers: signature invalid, naming the key', async () => {
    const p = await journal();
    await signJournal(p, { keyFile: mallory.path, env });
    const v = await checkIntegrity(p, { signers, env });
    expect(v.intact).toBe(false);
    expect(v.problems).toEqual([
      expect.stringMatching(new RegExp(`^${sigPath(p)}: signature invalid: made with ${FP}, which no principal in ${signers} holds$`)),
    ]);
  });

  it('a head changed after it was signed: signature invalid, with or without --signers', async () => {
    const p = await journal();
    await signJournal(p, { keyFile: alice.path, env });
    // The attacker cuts the last line and rewrites the head to match: the head layer is satisfied...
    writeFileSync(p, `${linesOf(p).slice(0, 5).join('\n')}\n`);
    const h = JSON.parse(readFileSync(headPath(p), 'utf8'));
    writeFileSync(headPath(p), `${JSON.stringify({ ...h, seq: 5, hash: JSON.parse(linesOf(p)[4]).hash })}\n`);
    const v = await checkIntegrity(p, { signers, env });
    expect(v.problems).toEqual([
      `${sigPath(p)}: signature invalid: it does not verify as alice@example.com (ssh-keygen: Signature verification failed: incorrect signature): the head was changed after it was signed`,
    ]);
    // ...and without an allowed_signers file the signature still has to match the head.
    const bare = await checkIntegrity(p, { env });
    expect(bare.problems).toEqual([
      expect.stringMatching(new RegExp(`^${sigPath(p)}: signature invalid: it does not match the head as it is now`)),
    ]);
  });

  it('without --signers a good signature is checked against its own key only, and says so in a note', async () => {
    const p = await journal();
    await signJournal(p, { keyFile: alice.path, env });
    const v = await checkIntegrity(p, { env });
    expect(v.intact).toBe(true);
    expect(v.notes).toEqual([
      expect.stringMatching(
        new RegExp(`^${sigPath(p)}: signed with ${FP}; whose key that is was not checked: pass --signers ALLOWED_SIGNERS to check it$`),
      ),
    ]);
  });

  it('--signers and no signature: signature absent is a problem', async () => {
    const p = await journal();
    const v = await checkIntegrity(p, { signers, env });
    expect(v.problems).toEqual([`${sigPath(p)}: signature absent: --signers asks for a signed head, and this journal was not signed`]);
  });

  it('an encrypted key file with no agent fails at once, with what to do, and asks for no passphrase', async () => {
    const p = await journal();
    const t0 = Date.now();
    const r = await signJournal(p, { keyFile: enc.path, env });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r).toEqual({ failed: expect.stringMatching(/the key is encrypted; add it to ssh-agent \(ssh-add\)/) });
    expect(fs.existsSync(sigPath(p))).toBe(false);
  });

  it('ssh-keygen missing: signing fails in one line; checking against --signers is a problem, without it a note', async () => {
    const p = await journal();
    await signJournal(p, { keyFile: alice.path, env });
    const empty = join(dir, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    expect(await signJournal(p, { keyFile: alice.path, env: { PATH: empty } })).toEqual({
      failed: 'ssh-keygen not found (install the OpenSSH client)',
    });
    expect((await checkIntegrity(p, { signers, env: { PATH: empty } })).problems).toEqual([
      `${sigPath(p)}: signature not checked: ssh-keygen not found (install the OpenSSH client)`,
    ]);
    const bare = await checkIntegrity(p, { env: { PATH: empty } });
    expect(bare.intact).toBe(true);
    expect(bare.notes).toEqual([`${sigPath(p)}: signature not checked: ssh-keygen not found (install the OpenSSH client)`]);
  });

  it('an ssh-keygen that never answers (an agent key waiting for a confirmation) is killed at the deadline, with its children', async () => {
    const p = await journal();
    const bin = join(dir, 'hanging-bin');
    mkdirSync(bin, { recursive: true });
    const pidFile = join(dir, 'hanging.pid');
    // A child of its own that keeps the output pipe open, as an askpass or a security-key helper might.
    writeFileSync(join(bin, 'ssh-keygen'), `#!/bin/sh\nsleep 60 &\necho $! > ${pidFile}\nwait\n`, { mode: 0o755 });
    const t0 = Date.now();
    const r = await signJournal(p, { keyFile: alice.path, env: { PATH: `${bin}:${process.env.PATH}` }, timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r).toEqual({ failed: 'ssh-keygen did not answer within 0.5 s (a key that waits for a confirmation or a touch?)' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => alive(pid)).toBe(false);
  });
});

/** Running (a zombie left for a PID 1 that does not reap counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
