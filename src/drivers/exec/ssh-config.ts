/**
 * ~/.ssh/config (and /etc/ssh/ssh_config under it), read with the `ssh-config` package. That
 * package neither follows Include nor expands `~`, so Include is spliced in here as text: the
 * included lines land where the Include stood (inside a Host block they apply only to it, as in
 * OpenSSH), and the enclosing Host/Match line is repeated afterwards so the rest of the parent
 * file keeps its block. Each file starts from `Match all`, so one file's last block never
 * swallows the next file's global lines. Match exec is never run.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';
import { matchWildcard } from './patterns.js';
import type { ResolveContext } from './target.js';

/** The directives cutover honours for one host, first value wins (user file before system file). */
export interface HostConfig {
  hostname?: string;
  user?: string;
  port?: number;
  identityFile: string[];
  proxyJump?: string;
  proxyCommand?: string;
  /** Seconds, as ssh_config writes them. */
  connectTimeout?: number;
  serverAliveInterval?: number;
  serverAliveCountMax?: number;
  hostKeyAlias?: string;
  userKnownHostsFile?: string[];
  globalKnownHostsFile?: string[];
  identityAgent?: string;
  hashKnownHosts?: boolean;
}

/** A config file and the directory its relative Include paths are taken from. */
export interface ConfigFile {
  path: string;
  includeBase: string;
}

const MAX_INCLUDE_DEPTH = 16;

/** The merged configuration of several files, ready to answer per-host lookups. */
export class SshConfigSet {
  private readonly config: SSHConfig;

  /** Reads the files (missing ones are skipped); `home` expands `~` in Include paths. */
  constructor(files: ConfigFile[], home: string) {
    const lines: string[] = [];
    for (const f of files) {
      lines.push('Match all');
      expand(f.path, f.includeBase, home, 0, lines);
    }
    this.config = SSHConfig.parse(lines.join('\n'));
  }

  /** The directives for `alias` (the name the runbook or a jump spec uses). */
  lookup(alias: string, user?: string): HostConfig {
    const host = alias.toLowerCase();
    const c = this.config.compute(user ? { Host: host, User: user } : { Host: host }, { ignoreCase: true, matchExec: false });
    const one = (k: string): string | undefined => {
      const v = c[k];
      const s = Array.isArray(v) ? v.join(' ') : v;
      return s === undefined || s === '' ? undefined : s;
    };
    const many = (k: string): string[] | undefined => {
      const v = c[k];
      if (v === undefined) return undefined;
      return (Array.isArray(v) ? v : v.split(/\s+/)).filter((x) => x !== '');
    };
    const num = (k: string): number | undefined => {
      const v = one(k);
      return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
    };
    const out: HostConfig = { identityFile: many('identityfile') ?? [] };
    const set = <K extends keyof HostConfig>(k: K, v: HostConfig[K] | undefined) => {
      if (v !== undefined) out[k] = v;
    };
    const hostname = one('hostname');
    set(
      'hostname',
      hostname?.replace(/%(%|h)/g, (_, t: string) => (t === 'h' ? host : '%')),
    );
    set('user', user === undefined ? one('user') : undefined);
    set('port', num('port'));
    set('proxyJump', one('proxyjump'));
    set('proxyCommand', one('proxycommand'));
    set('connectTimeout', num('connecttimeout'));
    set('serverAliveInterval', num('serveraliveinterval'));
    set('serverAliveCountMax', num('serveralivecountmax'));
    set('hostKeyAlias', one('hostkeyalias'));
    set('userKnownHostsFile', many('userknownhostsfile'));
    set('globalKnownHostsFile', many('globalknownhostsfile'));
    set('identityAgent', one('identityagent'));
    const hash = one('hashknownhosts');
    if (hash !== undefined) out.hashKnownHosts = /^yes$/i.test(hash);
    return out;
  }
}

/** Where the driver looks by default; each part can be given instead (tests confine it to a temp HOME). */
export function defaultContext(o: {
  home?: string;
  env?: NodeJS.ProcessEnv;
  localUser?: string;
  sshConfigFiles?: ConfigFile[];
  globalKnownHosts?: string[];
}): ResolveContext {
  const env = o.env ?? process.env;
  const home = o.home ?? env.HOME ?? homedir();
  const files = o.sshConfigFiles ?? [
    { path: `${home}/.ssh/config`, includeBase: `${home}/.ssh` },
    { path: '/etc/ssh/ssh_config', includeBase: '/etc/ssh' },
  ];
  let localUser = o.localUser;
  try {
    localUser ??= userInfo().username;
  } catch {
    localUser ??= env.USER ?? 'root';
  }
  return {
    config: new SshConfigSet(files, home),
    home,
    env,
    localUser,
    globalKnownHosts: o.globalKnownHosts ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
  };
}

/** Appends the lines of `file` to `out`, with every Include replaced by the files it names. */
function expand(file: string, base: string, home: string, depth: number, out: string[]): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // a missing config file is no config, as for ssh
  }
  let section = 'Match all';
  for (const line of text.split(/\r?\n/)) {
    const inc = /^\s*include(?:\s*=\s*|\s+)(.+?)\s*$/i.exec(line);
    if (!inc) {
      if (/^\s*(host|match)(\s|=)/i.test(line)) section = line.trim();
      out.push(line);
      continue;
    }
    if (depth >= MAX_INCLUDE_DEPTH) continue; // OpenSSH stops at the same depth
    for (const arg of splitArgs(inc[1])) {
      let p = arg.replace(/^~(?=\/|$)/, home);
      if (!isAbsolute(p)) p = join(base, p);
      for (const f of globFiles(p)) expand(f, base, home, depth + 1, out);
    }
    out.push(section);
  }
}

/** Splits an Include argument list on spaces, honouring double quotes. */
function splitArgs(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** Files matching a path whose segments may hold `*` and `?`, sorted like glob(3). */
export function globFiles(path: string): string[] {
  if (!/[*?]/.test(path)) return isFile(path) ? [path] : [];
  const segs = path.split('/');
  let found = [segs[0] === '' ? '/' : segs[0]];
  for (let i = 1; i < segs.length; i++) {
    const seg = segs[i];
    if (seg === '') continue;
    const next: string[] = [];
    for (const dir of found) {
      if (!/[*?]/.test(seg)) {
        next.push(join(dir, seg));
        continue;
      }
      let names: string[] = [];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue;
      }
      for (const n of names) if (!n.startsWith('.') && matchWildcard(seg, n)) next.push(join(dir, n));
    }
    found = next;
  }
  return found.filter(isFile);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
