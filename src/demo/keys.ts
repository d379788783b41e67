/**
 * The demo's SSH trust, made fresh for every run: a user key (the only one the hosts accept), a
 * host key per host, and a temporary HOME whose ~/.ssh holds the identity, a known_hosts with
 * every host key (so verification stays on) and a config that maps each host name onto its
 * port on 127.0.0.1. The operator's own ~/.ssh is never read or written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

const { utils } = ssh2;

/** A generated key pair: the private key (OpenSSH format) and the parsed public key. */
export interface KeyPair {
  private: string;
  /** `ssh-ed25519 AAAA...` */
  public: string;
  parsed: ParsedKey;
}

/**
 * A fresh ed25519 key pair. The public half is derived from the private key: ssh2's generator
 * now and then writes a malformed public line (a key with a leading zero byte), so it is not used.
 */
export function newKeyPair(comment: string): KeyPair {
  for (let attempt = 0; ; attempt++) {
    const k = utils.generateKeyPairSync('ed25519', { comment });
    const priv = utils.parseKey(k.private);
    const key = priv instanceof Error ? undefined : Array.isArray(priv) ? priv[0] : priv;
    const pub = key && `${key.type} ${key.getPublicSSH().toString('base64')}`;
    const parsed = pub ? utils.parseKey(pub) : undefined;
    if (pub && parsed && !(parsed instanceof Error))
      return { private: k.private, public: pub, parsed: Array.isArray(parsed) ? parsed[0] : parsed };
    if (attempt >= 20) throw new Error('cannot generate an SSH key for the demo (ssh2 keeps producing unreadable keys)');
  }
}

/** Paths of the temporary SSH setup. */
export interface DemoSsh {
  home: string;
  identityFile: string;
  knownHosts: string;
  config: string;
}

/** Writes the temporary HOME's ~/.ssh for hosts `{name, port, hostKey}` reached as `user`. */
export function writeSshHome(home: string, userKey: KeyPair, hosts: { name: string; port: number; publicKey: string }[]): DemoSsh {
  const dir = join(home, '.ssh');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const identityFile = join(dir, 'id_ed25519');
  writeFileSync(identityFile, userKey.private, { mode: 0o600 });
  writeFileSync(`${identityFile}.pub`, `${userKey.public} cutover-demo\n`, { mode: 0o644 });
  const knownHosts = join(dir, 'known_hosts');
  // HostKeyAlias makes each host known under its own name, whatever port it listens on.
  writeFileSync(knownHosts, hosts.map((h) => `${h.name.toLowerCase()} ${h.publicKey}\n`).join(''), { mode: 0o600 });
  const config = join(dir, 'config');
  const blocks = hosts.map((h) => `Host ${h.name}\n  HostName 127.0.0.1\n  Port ${h.port}\n  HostKeyAlias ${h.name}\n`);
  writeFileSync(config, `# Written by cutover demo: the simulated fleet, on 127.0.0.1.\n${blocks.join('')}`, { mode: 0o600 });
  return { home, identityFile, knownHosts, config };
}
