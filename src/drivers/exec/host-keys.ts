/**
 * Host key verification, OpenSSH's way and stricter: a known key passes; a different key of the
 * same type is a mismatch that nothing overrides; an unknown host is refused unless the runbook
 * says `strictHostKeys: accept-new`, which appends the key the way OpenSSH does. A host already
 * known under another key type is not "new", so accept-new refuses it too.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fingerprint, hostMatches, keyTypeOf, knownHostsLine, parseKnownHosts, type KnownHost } from './known-hosts.js';

/** Where keys are looked up and what to do with an unknown host. */
export interface HostKeyPolicy {
  /** Files the user owns; accept-new appends to the first. */
  userFiles: string[];
  /** System-wide files, read only (/etc/ssh/ssh_known_hosts). */
  globalFiles: string[];
  strict: 'yes' | 'accept-new';
  /** Write new entries hashed (HashKnownHosts yes). */
  hash?: boolean;
}

/** The outcome of checking a presented key. */
export type HostKeyVerdict = { ok: true; added?: string } | { ok: false; reason: string };

/**
 * A file's entries, indexed: lines whose host field is only plain names by each name, the rest
 * (wildcards, negations, hashed names) kept for a scan. A fan-out looks up every host once, and a
 * known_hosts of a whole fleet would otherwise be scanned once per host (quadratic).
 */
interface Indexed {
  stamp: string;
  byName: Map<string, KnownHost[]>;
  scan: KnownHost[];
}

const fileCache = new Map<string, Indexed>();
const EMPTY: Indexed = { stamp: '', byName: new Map(), scan: [] };

/** Entries of a file (cert-authority lines left out), re-read only when its size or mtime changed. */
function load(file: string): Indexed {
  let stamp: string;
  try {
    const st = statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return EMPTY;
  }
  const hit = fileCache.get(file);
  if (hit && hit.stamp === stamp) return hit;
  let entries: KnownHost[] = [];
  try {
    entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
  } catch {
    entries = [];
  }
  const ix: Indexed = { stamp, byName: new Map(), scan: [] };
  for (const e of entries) {
    if (e.marker === 'cert-authority') continue;
    if (e.hosts.startsWith('|') || /[*?!]/.test(e.hosts)) {
      ix.scan.push(e);
      continue;
    }
    for (const raw of e.hosts.split(',')) {
      const name = raw.trim().toLowerCase();
      if (name === '') continue;
      const list = ix.byName.get(name);
      if (!list) ix.byName.set(name, [e]);
      else if (list.at(-1) !== e) list.push(e);
    }
  }
  fileCache.set(file, ix);
  return ix;
}

/** Every entry for `name` across the policy's files, in file and line order (cert-authority lines left out). */
export function entriesFor(name: string, policy: HostKeyPolicy): KnownHost[] {
  const lname = name.toLowerCase();
  const out: KnownHost[] = [];
  for (const f of [...policy.userFiles, ...policy.globalFiles]) {
    const ix = load(f);
    const found = [...(ix.byName.get(lname) ?? []), ...ix.scan.filter((e) => hostMatches(e, lname))];
    if (found.length > 1) found.sort((a, b) => a.line - b.line);
    out.push(...found);
  }
  return out;
}

/** Checks the key `name` presented. `label` is the host as the runbook names it, for messages. */
export function verifyHostKey(name: string, blob: Buffer, policy: HostKeyPolicy, label: string, port: number): HostKeyVerdict {
  const type = keyTypeOf(blob) ?? 'unknown';
  const fp = fingerprint(blob);
  const entries = entriesFor(name, policy);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked)
    return {
      ok: false,
      reason: `${label}: host key ${fp} (${type}) is marked @revoked in ${revoked.file}:${revoked.line}; refusing to connect. Ask the host's owner for its new key`,
    };
  const plain = entries.filter((e) => !e.marker);
  if (plain.some((e) => e.key.equals(blob))) return { ok: true };
  const sameType = plain.find((e) => e.keyType === type);
  if (sameType)
    return {
      ok: false,
      reason:
        `${label}: HOST KEY MISMATCH. The host presented ${type} key ${fp}, but ${sameType.file}:${sameType.line} expects ${fingerprint(sameType.key)}. ` +
        `Someone may be intercepting the connection, or the host was rebuilt. Check the new fingerprint out of band; if it is right, remove the old entry with ` +
        `\`ssh-keygen -R '${name}' -f ${sameType.file}\`. cutover never connects past a mismatch`,
    };
  if (plain.length > 0) {
    const known = [...new Set(plain.map((e) => e.keyType))].join(', ');
    return {
      ok: false,
      reason: `${label}: the host presented a ${type} key (${fp}), but known_hosts only has ${known} for it (${plain[0].file}:${plain[0].line}). Refusing: a host changing key type may be intercepted. Check the key out of band and add it with ssh-keyscan`,
    };
  }
  if (policy.strict !== 'accept-new' || policy.userFiles.length === 0) {
    const host = name.startsWith('[') ? name.slice(1, name.lastIndexOf(']')) : name;
    const files = [...policy.userFiles, ...policy.globalFiles].join(', ') || 'no known_hosts file';
    return {
      ok: false,
      reason:
        `${label}: unknown host key ${fp} (${type}); ${name} is not in ${files}. If that fingerprint is right, add the key with ` +
        `\`ssh-keyscan -p ${port} ${host} >> ${policy.userFiles[0] ?? '~/.ssh/known_hosts'}\`, or trust new hosts on first use with \`ssh: {strictHostKeys: accept-new}\` in the runbook`,
    };
  }
  const file = policy.userFiles[0];
  try {
    addKnownHost(file, knownHostsLine(name.toLowerCase(), blob, policy.hash));
  } catch (e) {
    return {
      ok: false,
      reason: `${label}: cannot add its key to ${file}: ${(e as Error).message}; fix the file's permissions or set ssh.knownHosts`,
    };
  }
  return { ok: true, added: `${label}: added ${type} key ${fp} to ${file}` };
}

/** Appends a line, creating the file 0600 (and its directory 0700) like OpenSSH. */
function addKnownHost(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const text = readFileSync(file);
    if (text.length > 0 && text[text.length - 1] !== 0x0a) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
  fileCache.delete(file);
}

/** Host key algorithms in the order to offer: types already known for `name` first, as OpenSSH does. */
export function preferredHostKeyAlgorithms(name: string, policy: HostKeyPolicy, all: readonly string[]): string[] {
  const types = new Set(
    entriesFor(name, policy)
      .filter((e) => !e.marker)
      .map((e) => e.keyType),
  );
  if (types.size === 0) return [...all];
  const known = (alg: string) => types.has(alg.startsWith('rsa-sha2-') ? 'ssh-rsa' : alg);
  return [...all.filter(known), ...all.filter((a) => !known(a))];
}
