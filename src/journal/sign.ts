/**
 * Signs a closed journal's head with the operator's SSH key (`ssh-keygen -Y sign -n cutover-journal`),
 * writing `JOURNAL.head.sig` (0600, atomically). The key, in this order: `--sign-key FILE`, else
 * `$CUTOVER_SIGN_KEY`, else the first key of the running ssh-agent, else `~/.ssh/id_ed25519`. The
 * agent comes before the key file because it holds keys already unlocked: cutover never asks for a
 * passphrase at the end of a deploy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replaceFileSync } from './fsio.js';
import { readHead, SIGN_NAMESPACE, sigPath } from './head.js';
import { lastLine, runTool, signatureKey } from './ssh-tool.js';

/** Where the signing key comes from; `timeoutMs` bounds each tool run (an agent key may wait for a confirmation). */
export interface SignOptions {
  /** `--sign-key FILE`: a private key file (or its public half, when the agent holds the key). */
  keyFile?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** What signing did: signed (the file, the key, where the key came from), skipped (why, not an error), or failed (one line). */
export type SignResult = { signed: { sig: string; key: string; via: string } } | { skipped: string } | { failed: string };

/** Default deadline for ssh-keygen: long enough to touch a security key, short enough not to hang an exit. */
export const SIGN_TIMEOUT_MS = 15_000;

interface Key {
  file: string;
  via: string;
  cleanup?: () => void;
}

/** Signs the head of the journal at `journal`; never throws. */
export async function signJournal(journal: string, o: SignOptions): Promise<SignResult> {
  const rh = readHead(journal);
  if ('absent' in rh) return { skipped: 'the journal has no head anchor (no event reached the disk)' };
  if ('problem' in rh) return { failed: rh.problem };
  const timeoutMs = o.timeoutMs ?? SIGN_TIMEOUT_MS;
  const key = await chooseKey(o, timeoutMs);
  if ('skipped' in key || 'failed' in key) return key;
  try {
    const r = await runTool('ssh-keygen', ['-Y', 'sign', '-n', SIGN_NAMESPACE, '-f', key.file], { env: o.env, input: rh.bytes, timeoutMs });
    if (r.missing) return { failed: 'ssh-keygen not found (install the OpenSSH client)' };
    if (r.timedOut)
      return { failed: `ssh-keygen did not answer within ${timeoutMs / 1000} s (a key that waits for a confirmation or a touch?)` };
    const signer = signatureKey(r.out);
    if (r.code !== 0 || !signer) {
      const said = lastLine(r.err);
      const hint = /passphrase/i.test(said) ? ': the key is encrypted; add it to ssh-agent (ssh-add) and cutover signs with the agent' : '';
      return { failed: `ssh-keygen -Y sign with ${key.file} (${key.via}) failed: ${said}${hint}` };
    }
    const sig = sigPath(journal);
    replaceFileSync(sig, r.out);
    return { signed: { sig, key: signer, via: key.via } };
  } catch (e) {
    return { failed: `cannot write ${sigPath(journal)}: ${(e as Error).message}` };
  } finally {
    key.cleanup?.();
  }
}

/** The key to sign with, in the documented order. */
async function chooseKey(o: SignOptions, timeoutMs: number): Promise<Key | { skipped: string } | { failed: string }> {
  const named = o.keyFile
    ? { file: o.keyFile, via: '--sign-key' }
    : o.env.CUTOVER_SIGN_KEY
      ? { file: o.env.CUTOVER_SIGN_KEY, via: 'CUTOVER_SIGN_KEY' }
      : undefined;
  if (named) return fs.existsSync(named.file) ? named : { failed: `${named.file}: no such key file (${named.via})` };
  if (o.env.SSH_AUTH_SOCK) {
    const agent = await agentKey(o.env, timeoutMs);
    if (agent) return agent;
  }
  // $HOME of the environment given, not the OS account's: a caller that passes none means none.
  const file = o.env.HOME ? path.join(o.env.HOME, '.ssh', 'id_ed25519') : undefined;
  if (file && fs.existsSync(file)) return { file, via: '~/.ssh/id_ed25519' };
  return { skipped: 'no SSH key to sign with (no ssh-agent key, no ~/.ssh/id_ed25519; --sign-key FILE names one)' };
}

/** The agent's first key, as a public key file ssh-keygen signs with through the agent; undefined when there is none. */
async function agentKey(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Key | undefined> {
  const r = await runTool('ssh-add', ['-L'], { env, timeoutMs: Math.min(timeoutMs, 5000) });
  const line = r.code === 0 ? r.out.split('\n').find((l) => /^(ssh-|ecdsa-|sk-)/.test(l)) : undefined;
  if (!line) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-sign-'));
  const file = path.join(dir, 'agent-key.pub');
  fs.writeFileSync(file, `${line}\n`, { mode: 0o600 });
  return { file, via: 'ssh-agent', cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
