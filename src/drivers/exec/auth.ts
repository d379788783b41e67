/**
 * Authentication the way ssh does it: keys in the agent first (SSH_AUTH_SOCK or IdentityAgent),
 * then the identity files. ssh2 cannot prompt for a passphrase, so an encrypted key file is only
 * usable through the agent; when it is all there is, the error says to `ssh-add` it.
 */
import { readFileSync, statSync } from 'node:fs';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';
import type { Ssh2Module } from './ssh2.js';
import type { Target } from './target.js';

/** The methods to try for one host, and what could not be used. */
export interface AuthPlan {
  methods: AnyAuthMethod[];
  /** What was tried, for the failure message: `agent`, key paths. */
  tried: string[];
  /** Encrypted key files that were skipped (usable only through the agent). */
  encrypted: string[];
}

// Parsed once per file: ssh2 would otherwise parse the key again for every host.
const keyCache = new Map<string, { stamp: string; parsed: 'encrypted' | 'invalid' | ParsedKey }>();

/** Reads a key file once (re-read when it changes); undefined when it does not exist. */
function readKey(ssh2: Ssh2Module, path: string): 'encrypted' | 'invalid' | ParsedKey | undefined {
  let stamp: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const hit = keyCache.get(path);
  if (hit && hit.stamp === stamp) return hit.parsed;
  let parsed: 'encrypted' | 'invalid' | ParsedKey;
  try {
    const data = readFileSync(path);
    const k = ssh2.utils.parseKey(data);
    if (k instanceof Error) parsed = /encrypted|passphrase/i.test(k.message) ? 'encrypted' : 'invalid';
    else {
      const key = Array.isArray(k) ? (k[0] as ParsedKey) : k;
      parsed = key.isPrivateKey() ? key : 'invalid';
    }
  } catch {
    parsed = 'invalid';
  }
  keyCache.set(path, { stamp, parsed });
  return parsed;
}

/** Plans authentication for a target; throws AuthError when nothing at all can be tried. */
export function planAuth(ssh2: Ssh2Module, t: Target): AuthPlan {
  const plan: AuthPlan = { methods: [], tried: [], encrypted: [] };
  if (t.agent && isSocket(t.agent)) {
    plan.methods.push({ type: 'agent', username: t.user, agent: t.agent });
    plan.tried.push('ssh-agent');
  }
  for (const path of t.identityFiles) {
    const k = readKey(ssh2, path);
    if (k === 'encrypted') plan.encrypted.push(path);
    else if (k !== undefined && k !== 'invalid') {
      plan.methods.push({ type: 'publickey', username: t.user, key: k });
      plan.tried.push(path);
    }
  }
  if (plan.methods.length === 0) throw new AuthError(noMethodMessage(t, plan));
  return plan;
}

/** The message for a server that refused every method. */
export function authFailedMessage(t: Target, plan: AuthPlan): string {
  let msg = `${t.label}: ${t.user}@${t.hostname} refused every key (tried ${plan.tried.join(', ')})`;
  if (plan.encrypted.length) msg += `; ${encryptedHint(t, plan.encrypted)}`;
  else msg += `; check that the public key is in ~${t.user}/.ssh/authorized_keys on the host, or set identityFile`;
  return msg;
}

function noMethodMessage(t: Target, plan: AuthPlan): string {
  if (plan.encrypted.length) return `${t.label}: ${encryptedHint(t, plan.encrypted)}`;
  const agent = t.agent ? `the ssh-agent socket ${t.agent} does not exist` : 'no ssh-agent (SSH_AUTH_SOCK is not set)';
  return `${t.label}: no key to log in with: ${agent}, and none of ${t.identityFiles.join(', ') || 'the identity files'} exists. Set identityFile in the runbook or ~/.ssh/config, or start ssh-agent and ssh-add a key`;
}

function encryptedHint(t: Target, paths: string[]): string {
  const p = paths[0];
  const agent = t.agent ? `the ssh-agent at ${t.agent} does not hold it` : 'no ssh-agent is running (SSH_AUTH_SOCK is not set)';
  return `the key ${p} is encrypted and ${agent}; cutover cannot ask for passphrases. Add it to the agent with \`ssh-add ${p}\` (after \`eval "$(ssh-agent)"\` if none runs), then run cutover from that shell`;
}

function isSocket(p: string): boolean {
  try {
    return statSync(p).isSocket();
  } catch {
    return false;
  }
}

/** Authentication cannot succeed; the message names the host and what to do. */
export class AuthError extends Error {}
