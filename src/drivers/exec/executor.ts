/**
 * The exec driver: what the console and `cutover exec` call to run `run` and `local` steps. It
 * owns the session's SSH pool and turns every host's command into `command/started`, coalesced
 * `command/output` and `command/exited` events; the return value is the per-host result, in
 * host order, for the caller to pass or fail the step.
 */
import { setMaxListeners } from 'node:events';
import type { DriverContext } from '../context.js';
import type { HostSpec, Runbook, Step } from '../../runbook/schema.js';
import { resolveBatch, resolveMaxFail, type Amount } from '../../runbook/amount.js';
import { fanout } from './fanout.js';
import { displayCommand, runLocal } from './local.js';
import { CommandOutput, type OutputLimits } from './output.js';
import type { Outcome } from './outcome.js';
import { SshPool } from './pool.js';
import { Redactor } from './redact.js';
import { secretValues } from '../../runbook/secrets.js';
import { stripControls } from './sanitize.js';
import { runRemote } from './ssh.js';
import { defaultContext, type ConfigFile } from './ssh-config.js';
import { resolveTarget, type ResolveContext, type Target } from './target.js';
import { HostRun, type HostResult } from './host-run.js';
import { Warmer, type WarmOptions } from './warm.js';

export type { HostResult } from './host-run.js';

/** How the driver finds its configuration; every path is injectable for tests. */
export interface ExecOptions {
  ctx: DriverContext;
  /**
   * The runbook's `ssh`, `hosts` and `redact` sections; with its `secrets` list and credential
   * fields (prometheus, alertmanager, http steps' headers), their values in `env` are redacted too.
   */
  runbook?: Pick<Runbook, 'ssh' | 'hosts' | 'redact'> &
    Partial<Pick<Runbook, 'secrets' | 'prometheus' | 'alertmanager' | 'phases' | 'rollback'>>;
  /** `~` (default: env.HOME, else the OS home). */
  home?: string;
  /** For SSH_AUTH_SOCK and `${VAR}` in paths (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Remote user when nothing else names one (default: the local user). */
  localUser?: string;
  /** ssh_config files, highest precedence first (default ~/.ssh/config, /etc/ssh/ssh_config). */
  sshConfigFiles?: ConfigFile[];
  /** System known_hosts (default /etc/ssh/ssh_known_hosts, /etc/ssh/ssh_known_hosts2). */
  globalKnownHosts?: string[];
  output?: OutputLimits;
  /** ms between TERM and giving up on a timed-out or cancelled command (default 2000). */
  killGrace?: number;
  /** Hears each host's exec request sent, and accepted by its sshd (the command is starting there): for benchmarks. */
  onExecRequested?: (host: string) => void;
  onExecAccepted?: (host: string) => void;
  /** Hears things the operator should know that are not events (a key added under accept-new). */
  onNotice?: (message: string) => void;
}

/** A command on a host group. */
export interface RemoteRequest {
  step: string;
  /** Rollback level id, when the step belongs to one. */
  level?: string;
  /** Prefix of the command ids (default `STEP#N`, N counting this driver's runs of the step). */
  id?: string;
  hosts: HostSpec[];
  command: string;
  batch?: Amount;
  maxFail?: Amount;
  timeout?: number;
  /** Overrides ssh.concurrency. */
  concurrency?: number;
  /** Abort to cancel: no new host starts, running commands get TERM. */
  signal?: AbortSignal;
}

/** The outcome of a fan-out. `ok` when every host exited 0. */
export interface FanoutResult {
  ok: boolean;
  results: HostResult[];
  /** maxFail was exceeded and hosts were skipped. */
  tripped: boolean;
  cancelled: boolean;
}

/** Runs commands on host groups and locally, emitting events; one per session. */
export class ExecDriver {
  private readonly pool: SshPool;
  private readonly redactor: Redactor;
  private readonly stopAll = new AbortController();
  private readonly runs = new Map<string, number>();
  private resolveCtx?: ResolveContext;

  constructor(private readonly opts: ExecOptions) {
    setMaxListeners(0, this.stopAll.signal);
    // Local commands inherit this environment: `echo $TOKEN` must not show the token's value.
    this.redactor = new Redactor(opts.runbook?.redact ?? [], secretValues(opts.runbook, opts.env ?? process.env));
    this.pool = new SshPool((m) => opts.onNotice?.(m));
  }

  /** Runs a `run` or `local` step (its group looked up in the runbook). Other step kinds are a bug. */
  async runStep(step: Step, o: { level?: string; id?: string; signal?: AbortSignal } = {}): Promise<FanoutResult> {
    const base = {
      step: step.id,
      ...(o.level ? { level: o.level } : {}),
      ...(o.id ? { id: o.id } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    };
    if (step.local) {
      const r = await this.runLocal({ ...base, ...step.local });
      return { ok: r.status === 'ok', results: [r], tripped: false, cancelled: o.signal?.aborted === true };
    }
    if (!step.run) throw new Error(`step '${step.id}' is neither run nor local`);
    const { on, ...run } = step.run;
    const hosts = this.opts.runbook?.hosts?.[on];
    // Load-time checks refuse unknown and empty groups; running nowhere must still never pass.
    if (!hosts?.length)
      return {
        ok: false,
        results: [{ host: on, status: 'error', code: null, ms: 0, error: `no hosts in group '${on}'; check hosts in the runbook` }],
        tripped: false,
        cancelled: false,
      };
    return this.runRemote({ ...base, ...run, hosts });
  }

  /** One command on every host of `hosts`, under batch, maxFail and the concurrency limit. */
  async runRemote(req: RemoteRequest): Promise<FanoutResult> {
    const id = req.id ?? this.nextId(req.step);
    const signal = this.signal(req.signal);
    const n = req.hosts.length;
    const { slots, tripped } = await fanout(
      n,
      (i) => this.remoteOn(req, req.hosts[i], id, signal),
      (r) => r.status !== 'ok',
      {
        concurrency: req.concurrency ?? this.opts.runbook?.ssh?.concurrency ?? 32,
        batchSize: resolveBatch(req.batch, n),
        maxFailures: resolveMaxFail(req.maxFail, n),
        signal,
      },
    );
    const results = slots.map(
      (s, i): HostResult =>
        s.launched
          ? s.value
          : {
              host: label(req.hosts[i]),
              status: 'skipped',
              code: null,
              ms: 0,
              error: s.reason === 'max-fail' ? 'not run: maxFail was exceeded' : 'not run: cancelled',
            },
    );
    return { ok: results.every((r) => r.status === 'ok'), results, tripped, cancelled: signal.aborted };
  }

  /** One local command (`host: "local"` in events). */
  async runLocal(req: {
    step: string;
    level?: string;
    id?: string;
    command: string | string[];
    shell?: boolean;
    cwd?: string;
    env?: Record<string, string>;
    timeout?: number;
    signal?: AbortSignal;
  }): Promise<HostResult> {
    const run = this.hostRun(req.step, req.level, req.id ?? this.nextId(req.step), 'local', displayCommand(req.command));
    const signal = this.signal(req.signal);
    const outcome = await runLocal({
      ...req,
      signal,
      output: run.output,
      ...(this.opts.killGrace !== undefined ? { killGrace: this.opts.killGrace } : {}),
    });
    return run.finish(this.clean(outcome));
  }

  /** Opens the connections of `hosts` ahead of time (warm pool); resolves to the hosts that failed. */
  async connect(hosts: HostSpec[], concurrency?: number): Promise<{ host: string; error: string }[]> {
    const failed: { host: string; error: string }[] = [];
    await fanout(
      hosts.length,
      async (i) => {
        try {
          await this.pool.acquire(this.target(hosts[i]));
        } catch (e) {
          failed.push({ host: label(hosts[i]), error: this.cleanText((e as Error).message) });
        }
      },
      () => false,
      { concurrency: concurrency ?? this.opts.runbook?.ssh?.concurrency ?? 32 },
    );
    return failed;
  }

  /**
   * Keeps every host of `levels` connected from now on (retried with backoff), and emits
   * `rollback/readiness` when a level's readiness changes. Returns the function that stops it.
   */
  warm(levels: { level: string; hosts: HostSpec[] }[], o: WarmOptions = {}): () => void {
    const specs = new Map(levels.flatMap((l) => l.hosts.map((h) => [label(h), h] as const)));
    const warmer = new Warmer(
      levels.map((l) => ({ level: l.level, hosts: [...new Set(l.hosts.map(label))] })),
      async (host) => {
        try {
          return (await this.pool.acquire(this.target(specs.get(host)!))).client;
        } catch (e) {
          throw new Error(this.cleanText((e as Error).message));
        }
      },
      (readiness) => this.opts.ctx.emit({ type: 'rollback/readiness', t: this.opts.ctx.now(), levels: readiness }),
      { concurrency: this.opts.runbook?.ssh?.concurrency ?? 32, ...o },
    );
    warmer.start();
    return () => warmer.stop();
  }

  /** Cancels whatever still runs and closes every connection. Call once, when the session ends. */
  async closeAll(): Promise<void> {
    this.stopAll.abort();
    await this.pool.closeAll();
  }

  /** Open SSH connections (for the status bar and tests). */
  get connections(): number {
    return this.pool.size;
  }

  private async remoteOn(req: RemoteRequest, spec: HostSpec, id: string, signal: AbortSignal): Promise<HostResult> {
    const run = this.hostRun(req.step, req.level, id, label(spec), req.command);
    let outcome: Outcome;
    try {
      const target = this.target(spec);
      outcome = await runRemote(this.pool, {
        target,
        command: req.command,
        output: run.output,
        signal,
        ...(req.timeout !== undefined ? { timeout: req.timeout } : {}),
        ...(this.opts.killGrace !== undefined ? { killGrace: this.opts.killGrace } : {}),
        ...(this.opts.onExecRequested ? { onRequested: () => this.opts.onExecRequested?.(label(spec)) } : {}),
        ...(this.opts.onExecAccepted ? { onAccepted: () => this.opts.onExecAccepted?.(label(spec)) } : {}),
      });
    } catch (e) {
      outcome = { code: null, error: (e as Error).message };
    }
    return run.finish(this.clean(outcome));
  }

  /**
   * Errors and signal names can carry text the host chose (a channel-open failure's description,
   * a disconnect reason, an exit-signal name) or a secret from the command: they reach events,
   * the journal and the terminal, so they get the same stripping and redaction as output.
   */
  private clean(o: Outcome): Outcome {
    const { error, signal, ...rest } = o;
    return { ...rest, ...(signal ? { signal: this.cleanText(signal) } : {}), ...(error ? { error: this.cleanText(error) } : {}) };
  }

  private cleanText(s: string): string {
    return this.redactor.text(stripControls(s.replace(/\r?\n/g, ' ')));
  }

  private hostRun(step: string, level: string | undefined, id: string, host: string, command: string): HostRun {
    return new HostRun(
      this.opts.ctx,
      { cmd: `${id}@${host}`, step, host, command: this.redactor.text(command), ...(level ? { level } : {}) },
      (emit) => new CommandOutput(this.redactor, emit, this.opts.output),
    );
  }

  private target(spec: HostSpec): Target {
    return resolveTarget(spec, this.opts.runbook?.ssh ?? {}, (this.resolveCtx ??= defaultContext(this.opts)));
  }

  /** The caller's signal joined with closeAll's; every host of a fan-out listens to it. */
  private signal(s: AbortSignal | undefined): AbortSignal {
    const joined = AbortSignal.any(s ? [s, this.stopAll.signal] : [this.stopAll.signal]);
    setMaxListeners(0, joined);
    return joined;
  }

  private nextId(step: string): string {
    const n = (this.runs.get(step) ?? 0) + 1;
    this.runs.set(step, n);
    return `${step}#${n}`;
  }
}

/** How events and results name a host: `name`, or `name:port` when the runbook gives a port. */
export function label(h: HostSpec): string {
  return h.port !== undefined ? `${h.host}:${h.port}` : h.host;
}
