/** Runs one step's action (a checklist step or a rollback step) and says how it went; never throws. */
import type { DriverContext } from '../drivers/context.js';
import type { SessionState } from '../core/state.js';
import { stepKind, type Runbook, type Step } from '../runbook/schema.js';
import type { Executors, ExecOutcome } from './executors.js';
import { expectNow, httpProbe, type ProbeResult } from './probes.js';
import { expandEnv } from '../runbook/env.js';

/** What running a step needs from the session. */
export interface ExecuteContext {
  runbook: Runbook;
  executors: Executors;
  ctx: DriverContext;
  env: NodeJS.ProcessEnv;
  operator: string;
  state(): SessionState;
}

/** Runs `step`; `id` prefixes its command ids (stamped from the journal's sequence); `level` marks a rollback step. */
export async function executeStep(x: ExecuteContext, step: Step, signal: AbortSignal, id: string, level?: string): Promise<ProbeResult> {
  const base = { ctx: x.ctx, step: step.id, signal, id, ...(level ? { level } : {}) };
  try {
    switch (stepKind(step)) {
      case 'manual':
        return { ok: true, detail: `ticked by ${x.operator}` };
      case 'wait':
        return await waitFor(step.wait!, signal);
      case 'http':
        return await httpProbe(step.http!, x.env, signal, x.ctx.now);
      case 'expect':
        return await expect(x, step, signal);
      case 'run': {
        const hosts = x.runbook.hosts?.[step.run!.on] ?? [];
        return fromExec(await x.executors.remote({ ...base, group: step.run!.on, hosts, run: step.run!, runbook: x.runbook }));
      }
      case 'local':
        return fromExec(await x.executors.local({ ...base, local: expandLocal(step.local!, x.env), runbook: x.runbook }));
    }
  } catch (e) {
    return { ok: false, error: (e as Error).message.split('\n')[0] };
  }
}

async function expect(x: ExecuteContext, step: Step, signal: AbortSignal): Promise<ProbeResult> {
  const deadline = x.ctx.now() + (step.expect!.within ?? 0);
  for (;;) {
    const r = expectNow(step.expect!, x.state(), x.ctx.now());
    if (r.ok || x.ctx.now() >= deadline || signal.aborted) return r;
    const w = await waitFor(Math.min(1000, deadline - x.ctx.now()), signal);
    if (!w.ok) return r;
  }
}

/** A local step's cwd and env values with their `${VAR}` from the environment (commands are the shell's, never expanded). */
function expandLocal(local: NonNullable<Step['local']>, env: NodeJS.ProcessEnv): NonNullable<Step['local']> {
  const vars = local.env
    ? Object.fromEntries(Object.entries(local.env).map(([k, v]) => [k, expandEnv(v, env, `local.env.${k}`)]))
    : undefined;
  return { ...local, ...(local.cwd !== undefined ? { cwd: expandEnv(local.cwd, env, 'local.cwd') } : {}), ...(vars ? { env: vars } : {}) };
}

function fromExec(r: ExecOutcome): ProbeResult {
  return r.ok ? { ok: true, detail: r.summary } : { ok: false, error: r.summary };
}

/** Waits `ms`, or fails as cancelled when `signal` aborts first. */
export function waitFor(ms: number, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, error: 'cancelled' });
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve({ ok: true, detail: 'waited' });
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve({ ok: false, error: 'cancelled' });
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
