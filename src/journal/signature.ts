/**
 * The third layer: `JOURNAL.head.sig`, an OpenSSH signature of the head's exact bytes, checked with
 * `ssh-keygen -Y`. With an allowed_signers file it says who signed; without one it can only say the
 * signature matches the head for the key inside it (anyone can sign with a key of their own).
 */
import fs from 'node:fs';
import { SIGN_NAMESPACE, sigPath } from './head.js';
import { lastLine, runTool, signatureKey } from './ssh-tool.js';

/** What the signature layer said; the same shape as the other layers' findings. */
export interface SignatureCheck {
  problems: string[];
  notes: string[];
  checked: string[];
}

/** Options: the allowed_signers file, the environment ssh-keygen runs in, and its deadline. */
export interface SignatureOptions {
  signers?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const MAX_SIG_BYTES = 64 * 1024;

/** Checks the signature of the head `bytes` (undefined: the journal has no readable head). */
export async function checkSignature(journal: string, bytes: Buffer | undefined, o: SignatureOptions = {}): Promise<SignatureCheck> {
  const r: SignatureCheck = { problems: [], notes: [], checked: [] };
  const sig = sigPath(journal);
  const { signers } = o;
  const text = readSig(sig);
  if (!bytes) {
    if (signers) r.problems.push(`${sig}: signature absent: there is no head anchor to sign, and --signers asks for a signed one`);
    return r;
  }
  if (text === undefined) {
    if (signers) r.problems.push(`${sig}: signature absent: --signers asks for a signed head, and this journal was not signed`);
    else r.notes.push(`${sig}: signature absent: the journal was not signed (the operator had no SSH key, or signing was skipped)`);
    return r;
  }
  if (typeof text !== 'string') {
    (signers ? r.problems : r.notes).push(`${sig}: ${text.problem}`);
    return r;
  }
  const key = signatureKey(text);
  if (!key) {
    r.problems.push(`${sig}: signature invalid: not an OpenSSH signature`);
    return r;
  }
  const run = (args: string[], input?: Buffer) =>
    runTool('ssh-keygen', ['-Y', ...args], { env: o.env ?? process.env, timeoutMs: o.timeoutMs ?? 10_000, ...(input ? { input } : {}) });
  const unchecked = (why: string) => (signers ? r.problems : r.notes).push(`${sig}: signature not checked: ${why}`);
  if (!signers) {
    const c = await run(['check-novalidate', '-n', SIGN_NAMESPACE, '-s', sig], bytes);
    if (c.missing) unchecked('ssh-keygen not found (install the OpenSSH client)');
    else if (c.timedOut) unchecked(`ssh-keygen did not answer within ${(o.timeoutMs ?? 10_000) / 1000} s`);
    else if (c.code !== 0)
      r.problems.push(`${sig}: signature invalid: it does not match the head as it is now (${lastLine(c.err + c.out)})`);
    else {
      r.checked.push(`signature: matches the head, made with ${key}`);
      r.notes.push(`${sig}: signed with ${key}; whose key that is was not checked: pass --signers ALLOWED_SIGNERS to check it`);
    }
    return r;
  }
  const found = await run(['find-principals', '-s', sig, '-f', signers]);
  if (found.missing) return (unchecked('ssh-keygen not found (install the OpenSSH client)'), r);
  if (found.timedOut) return (unchecked(`ssh-keygen did not answer within ${(o.timeoutMs ?? 10_000) / 1000} s`), r);
  const principal = found.code === 0 ? found.out.split('\n')[0].trim() : '';
  if (!principal) {
    const why = fs.existsSync(signers) ? `which no principal in ${signers} holds` : `and ${signers} cannot be read`;
    r.problems.push(`${sig}: signature invalid: made with ${key}, ${why}`);
    return r;
  }
  const v = await run(['verify', '-f', signers, '-I', principal, '-n', SIGN_NAMESPACE, '-s', sig], bytes);
  if (v.timedOut) return (unchecked(`ssh-keygen did not answer within ${(o.timeoutMs ?? 10_000) / 1000} s`), r);
  if (v.code === 0) r.checked.push(`signature: good, by ${principal} (${key})`);
  else {
    const said = lastLine(v.err + v.out);
    const why = /incorrect signature/i.test(said) ? ': the head was changed after it was signed' : '';
    r.problems.push(`${sig}: signature invalid: it does not verify as ${principal} (ssh-keygen: ${said})${why}`);
  }
  return r;
}

/** The signature's text, undefined when there is none, or why it cannot be read. */
function readSig(sig: string): string | undefined | { problem: string } {
  try {
    const st = fs.statSync(sig);
    if (!st.isFile() || st.size > MAX_SIG_BYTES)
      return { problem: 'signature invalid: not an OpenSSH signature (not a small regular file)' };
    return fs.readFileSync(sig, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    return { problem: `cannot read the signature (${code ?? (e as Error).message})` };
  }
}
