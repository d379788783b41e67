/**
 * Runs OpenSSH's own tools (`ssh-keygen -Y`, `ssh-add -L`) for journal signatures: in a session of
 * their own, so they have no terminal to prompt on (an encrypted key fails at once instead of asking
 * for a passphrase over the console), and with a deadline, so an agent key that waits for a
 * confirmation nobody gives cannot hang cutover.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';

/** How a tool run ended. */
export interface ToolResult {
  /** Exit code; null when it was killed or never started. */
  code: number | null;
  out: string;
  err: string;
  /** Killed at the deadline. */
  timedOut: boolean;
  /** The binary is not on PATH. */
  missing: boolean;
}

/** Output kept from a tool (a signature is about 300 bytes; anything much longer is not what we asked for). */
const MAX_OUTPUT = 64 * 1024;

/** Runs `file args` with `input` on stdin (else none) and kills its process group at `timeoutMs`. */
export function runTool(
  file: string,
  args: string[],
  o: { env: NodeJS.ProcessEnv; input?: Buffer; timeoutMs: number },
): Promise<ToolResult> {
  return new Promise((resolve) => {
    // Never a passphrase prompt: no askpass program either (it would pop up on a desktop mid-exit).
    const env = { ...o.env, SSH_ASKPASS_REQUIRE: 'never' };
    const child = spawn(file, args, { env, detached: true, stdio: [o.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    let done = false;
    const finish = (r: ToolResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole group: a helper it started (askpass, a security-key middleware) must not outlive it.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      // Whatever still holds its pipes open, the answer is given now.
      child.stdout!.destroy();
      child.stderr!.destroy();
      finish({ code: null, out, err, timedOut, missing: false });
    }, o.timeoutMs);
    child.stdout!.on('data', (d: Buffer) => void (out.length < MAX_OUTPUT && (out += d.toString('utf8'))));
    child.stderr!.on('data', (d: Buffer) => void (err.length < MAX_OUTPUT && (err += d.toString('utf8'))));
    child.stdin?.on('error', () => {}); // a tool that exits before reading its input
    child.stdin?.end(o.input);
    child.once('error', (e: NodeJS.ErrnoException) => finish({ code: null, out, err: e.message, timedOut, missing: e.code === 'ENOENT' }));
    child.once('close', (code) => finish({ code, out, err, timedOut, missing: false }));
  });
}

/** Lines ssh-keygen prints that say nothing about what went wrong. */
const CHATTER = /^(Signing data on standard input|Could not verify signature\.)$/;

/** The last meaningful line a tool printed, for a one-line message. */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !CHATTER.test(l));
  return lines.at(-1) ?? 'no message';
}

/** `ED25519 key SHA256:…` for an OpenSSH signature's armored text, read from the signature itself (no tool needed). */
export function signatureKey(armored: string): string | undefined {
  const m = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(armored);
  if (!m) return undefined;
  const b = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  // SSHSIG: magic "SSHSIG", uint32 version, string publickey, ...
  if (b.length < 14 || b.toString('latin1', 0, 6) !== 'SSHSIG') return undefined;
  const len = b.readUInt32BE(10);
  if (len < 4 || 14 + len > b.length) return undefined;
  return keyName(b.subarray(14, 14 + len));
}

/** `ED25519 key SHA256:…` for a public key line (`ssh-ed25519 AAAA… comment`). */
export function publicKeyName(line: string): string | undefined {
  const blob = line.trim().split(/\s+/)[1];
  return blob ? keyName(Buffer.from(blob, 'base64')) : undefined;
}

function keyName(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const tlen = blob.readUInt32BE(0);
  if (4 + tlen > blob.length) return undefined;
  const type = typeName(blob.toString('latin1', 4, 4 + tlen));
  const fp = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return `${type} key SHA256:${fp}`;
}

/** The key type as ssh-keygen names it: ED25519, RSA, ECDSA, ED25519-SK, ECDSA-SK. */
function typeName(t: string): string {
  const base = /ed25519/.test(t) ? 'ED25519' : /ecdsa/.test(t) ? 'ECDSA' : /rsa/.test(t) ? 'RSA' : /dss/.test(t) ? 'DSA' : t;
  return t.startsWith('sk-') ? `${base}-SK` : base;
}
