/**
 * known_hosts files as OpenSSH reads and writes them: `[marker] hosts keytype base64 [comment]`,
 * where hosts is a comma list of patterns (`host`, `[host]:port`, wildcards, `!negation`) or one
 * hashed name `|1|salt|hmac` (HMAC-SHA1 of the name, keyed by the salt).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { matchPatternList } from './patterns.js';

/** One usable line of a known_hosts file. */
export interface KnownHost {
  /** `@revoked` keys are refused; `@cert-authority` lines are kept but never match a plain key. */
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written (patterns, or a hashed name). */
  hosts: string;
  /** The key type written on the line (`ssh-ed25519`, ...). */
  keyType: string;
  /** The public key blob, as the server sends it. */
  key: Buffer;
  file: string;
  /** 1-based line number, for messages that tell the user what to edit. */
  line: number;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` for a port other than 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses a known_hosts file; lines it cannot read are skipped, as OpenSSH skips them. */
export function parseKnownHosts(text: string, file: string): KnownHost[] {
  const out: KnownHost[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    const f = t.split(/\s+/);
    let marker: KnownHost['marker'];
    if (f[0].startsWith('@')) {
      const m = f.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else continue;
    }
    if (f.length < 3) continue;
    const key = decodeBlob(f[2]);
    if (!key || keyTypeOf(key) !== f[1]) continue;
    out.push({ ...(marker ? { marker } : {}), hosts: f[0], keyType: f[1], key, file, line: i + 1 });
  }
  return out;
}

/** True when the entry's host field matches `name` (already in `[host]:port` form when needed). */
export function hostMatches(entry: Pick<KnownHost, 'hosts'>, name: string): boolean {
  const h = entry.hosts;
  if (h.startsWith('|1|')) {
    const [, , salt, hash] = h.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  return matchPatternList(h, name.toLowerCase());
}

/** The key type a blob declares (its first SSH string). */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const n = blob.readUInt32BE(0);
  if (n === 0 || n > 64 || 4 + n > blob.length) return undefined;
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** The fingerprint OpenSSH prints: `SHA256:` and the unpadded base64 of the blob's sha256. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A line for `name`'s key as OpenSSH appends it, hashed when HashKnownHosts is on. */
export function knownHostsLine(name: string, blob: Buffer, hashed = false): string {
  const host = hashed ? hashName(name) : name;
  return `${host} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

/** `|1|salt|hmac` for a name, with a fresh 20-byte salt like ssh-keygen -H. */
export function hashName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

function decodeBlob(b64: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const b = Buffer.from(b64, 'base64');
  return b.length > 8 ? b : undefined;
}
