/**
 * Where and how to reach one host: the runbook's host entry resolved against its `ssh` defaults
 * and ~/.ssh/config. Precedence, highest first: the host's own fields (`{host, port, user,
 * identityFile, jump}`, or `name:port`), the runbook's `ssh` section, ~/.ssh/config, then
 * /etc/ssh/ssh_config, then built-in defaults. Jump hosts resolve through ssh_config alone (user
 * and port from the jump spec first), like the `ssh -W` OpenSSH runs for a ProxyJump, so a
 * jump host's own ProxyJump applies and chains recurse.
 */
import type { HostSpec, Runbook } from '../../runbook/schema.js';
import { expandHostSpec, expandSsh } from '../../runbook/env.js';
import type { HostKeyPolicy } from './host-keys.js';
import type { HostConfig, SshConfigSet } from './ssh-config.js';
import { knownHostsName } from './known-hosts.js';

/** The runbook's `ssh` section. */
export type SshSettings = NonNullable<Runbook['ssh']>;

/** Everything needed to open one SSH connection. */
export interface Target {
  /** The host as the runbook names it (`name`, or `name:port`): what events and messages show. */
  label: string;
  /** The name looked up in ssh_config. */
  alias: string;
  /** The address connected to (HostName from ssh_config, or the alias). */
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** ssh-agent socket, or undefined for none. */
  agent?: string;
  /** The hop this host is reached through (the last jump of a ProxyJump chain). */
  jump?: Target;
  /** Set when ssh_config gives a ProxyCommand, which cutover does not run. */
  proxyCommand?: string;
  /** The name the host key is looked up under in known_hosts. */
  knownHostsName: string;
  hostKeys: HostKeyPolicy;
  connectTimeout: number;
  keepaliveInterval: number;
  keepaliveCountMax: number;
  /** Identity of the connection in the pool: user, address, port and route. */
  key: string;
}

/** What resolution needs besides the host: config, home, environment. */
export interface ResolveContext {
  config: SshConfigSet;
  home: string;
  localUser: string;
  env: NodeJS.ProcessEnv;
  /** System known_hosts files (default /etc/ssh/ssh_known_hosts and ..._known_hosts2). */
  globalKnownHosts: string[];
}

/** Default connect timeout: long enough for a slow bastion, short enough not to stall a rollback. */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;
const DEFAULT_KEEPALIVE = 15_000;
const MAX_JUMPS = 8;

/** Thrown when a host cannot be resolved (a ProxyJump loop, ...); the message names the host. */
export class TargetError extends Error {}

/** Resolves a runbook host entry into a Target; `${VAR}` in its fields comes from ctx.env (MissingEnvError when unset). */
export function resolveTarget(written: HostSpec, writtenSsh: SshSettings, ctx: ResolveContext): Target {
  const label = written.port !== undefined ? `${written.host}:${written.port}` : written.host;
  const spec = expandHostSpec(written, ctx.env, label);
  const ssh = expandSsh(writtenSsh, ctx.env);
  const user = spec.user ?? ssh.user;
  const cfg = ctx.config.lookup(spec.host, user);
  const identity = [spec.identityFile, ssh.identityFile].filter((x): x is string => !!x);
  const jumpSpec = spec.jump ?? ssh.jump ?? cfg.proxyJump;
  const base = build(label, spec.host, cfg, { user, port: spec.port ?? ssh.port, identity }, ssh, ctx);
  const fromConfig = spec.jump === undefined && ssh.jump === undefined;
  const followed = new Set(fromConfig ? [spec.host.toLowerCase()] : []);
  const jump = jumpSpec && jumpSpec !== 'none' ? hop(parseJumps(jumpSpec, label), ssh, ctx, [spec.host], followed) : undefined;
  return withJump(base, jump, jumpSpec && jumpSpec !== 'none' ? undefined : cfg.proxyCommand);
}

/**
 * The last hop of `hops`, reached through the hops before it or, for the first hop, through its
 * own ProxyJump. A host may appear twice on a route; following the same host's own ProxyJump
 * twice is a loop.
 */
function hop(hops: JumpSpec[], ssh: SshSettings, ctx: ResolveContext, route: string[], followed: Set<string>): Target {
  const j = hops[hops.length - 1];
  const name = j.host.toLowerCase();
  if (route.length > MAX_JUMPS)
    throw new TargetError(`ProxyJump chain too long: ${[...route, j.host].join(' -> ')}; check ProxyJump in ~/.ssh/config and the runbook`);
  const cfg = ctx.config.lookup(j.host, j.user);
  const fallback = ssh.identityFile ? [ssh.identityFile] : [];
  const base = build(j.host, j.host, cfg, { user: j.user, port: j.port, identity: [], fallback }, ssh, ctx);
  const own = hops.length === 1 && cfg.proxyJump && cfg.proxyJump !== 'none' ? cfg.proxyJump : undefined;
  if (own && followed.has(name))
    throw new TargetError(`ProxyJump loop: ${[...route, j.host].join(' -> ')}; check ProxyJump in ~/.ssh/config`);
  const via = hops.length > 1 ? hops.slice(0, -1) : own ? parseJumps(own, j.host) : undefined;
  const next = via ? hop(via, ssh, ctx, [...route, j.host], own ? new Set([...followed, name]) : followed) : undefined;
  return withJump(base, next, via ? undefined : cfg.proxyCommand);
}

interface Given {
  user?: string;
  port?: number;
  identity: string[];
  fallback?: string[];
}

function build(label: string, alias: string, cfg: HostConfig, given: Given, ssh: SshSettings, ctx: ResolveContext): Omit<Target, 'key'> {
  const hostname = cfg.hostname ?? alias;
  const port = given.port ?? cfg.port ?? 22;
  const user = given.user ?? cfg.user ?? ctx.localUser;
  const x = (p: string) => expandPath(p, { ctx, hostname, alias, user, port });
  const listed = [...given.identity, ...cfg.identityFile, ...(given.fallback ?? [])];
  const identityFiles = [...new Set((listed.length ? listed : defaultIdentities(ctx.home)).map(x))];
  const userFiles = ssh.knownHosts
    ? [x(ssh.knownHosts)]
    : (cfg.userKnownHostsFile ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']).filter((f) => f !== 'none').map(x);
  const globalFiles = ssh.knownHosts ? [] : (cfg.globalKnownHostsFile ?? ctx.globalKnownHosts).filter((f) => f !== 'none').map(x);
  const agent = agentSocket(cfg.identityAgent, ctx, x);
  return {
    label,
    alias,
    hostname,
    port,
    user,
    identityFiles,
    ...(agent ? { agent } : {}),
    knownHostsName: (cfg.hostKeyAlias ?? knownHostsName(hostname, port)).toLowerCase(),
    hostKeys: { userFiles, globalFiles, strict: ssh.strictHostKeys ?? 'yes', hash: cfg.hashKnownHosts ?? false },
    connectTimeout: ssh.connectTimeout ?? (cfg.connectTimeout !== undefined ? cfg.connectTimeout * 1000 : DEFAULT_CONNECT_TIMEOUT),
    keepaliveInterval: ssh.keepalive ?? (cfg.serverAliveInterval ? cfg.serverAliveInterval * 1000 : DEFAULT_KEEPALIVE),
    keepaliveCountMax: cfg.serverAliveCountMax ?? 3,
  };
}

function withJump(t: Omit<Target, 'key'>, jump: Target | undefined, proxyCommand: string | undefined): Target {
  const key = `${t.user}@${t.hostname}:${t.port}${jump ? ` via ${jump.key}` : ''}`;
  return { ...t, ...(jump ? { jump } : {}), ...(proxyCommand && proxyCommand !== 'none' ? { proxyCommand } : {}), key };
}

/** One hop of a ProxyJump value. */
export interface JumpSpec {
  host: string;
  user?: string;
  port?: number;
}

/** Parses `[user@]host[:port][,...]` (also `ssh://user@host:port` and `[v6]:port`). */
export function parseJumps(value: string, forHost: string): JumpSpec[] {
  return value.split(',').map((raw) => {
    const m = /^(?:ssh:\/\/)?(?:([^@\s]+)@)?(\[[^\]]+\]|[^:\s]+)(?::(\d+))?\/?$/.exec(raw.trim());
    if (!m) throw new TargetError(`${forHost}: cannot read ProxyJump '${raw.trim()}'; write [user@]host[:port]`);
    const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
    return { host, ...(m[1] ? { user: m[1] } : {}), ...(m[3] ? { port: Number(m[3]) } : {}) };
  });
}

function defaultIdentities(home: string): string[] {
  return ['id_rsa', 'id_ecdsa', 'id_ed25519'].map((n) => `${home}/.ssh/${n}`);
}

function agentSocket(identityAgent: string | undefined, ctx: ResolveContext, x: (p: string) => string): string | undefined {
  if (identityAgent === undefined || identityAgent === 'SSH_AUTH_SOCK') return ctx.env.SSH_AUTH_SOCK || undefined;
  if (identityAgent === 'none') return undefined;
  const env = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(identityAgent);
  return env ? ctx.env[env[1]] || undefined : x(identityAgent);
}

interface Tokens {
  ctx: ResolveContext;
  hostname: string;
  alias: string;
  user: string;
  port: number;
}

/** Expands `~`, `${VAR}` and ssh_config's %d %u %h %n %r %p %% tokens in a path. */
export function expandPath(p: string, t: Tokens): string {
  const tokens: Record<string, string> = {
    d: t.ctx.home,
    u: t.ctx.localUser,
    h: t.hostname,
    n: t.alias,
    r: t.user,
    p: String(t.port),
    '%': '%',
  };
  return p
    .replace(/^~(?=\/|$)/, t.ctx.home)
    .replace(/\$\{([A-Za-z_]\w*)\}/g, (m, v: string) => t.ctx.env[v] ?? m)
    .replace(/%([duhnrp%])/g, (_, k: string) => tokens[k]);
}
