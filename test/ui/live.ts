/** A live Session for pane tests, with executors that answer at once (the scenario test uses real hosts). */
import type { SessionEvent } from '../../src/core/index.js';
import type { Executors } from '../../src/session/executors.js';
import { Session } from '../../src/session/session.js';
import type { ConsoleModel } from '../../src/ui/model.js';
import { sessionModel } from '../../src/ui/session-model.js';
import type { Runbook } from '../../src/runbook/index.js';
import { runbook as fixture } from '../core/fixtures.js';

/** Executors whose hosts exit with `code(host)` right away, emitting the real event sequence. */
export function instantExecutors(code: (host: string) => number = () => 0): Executors & { calls: string[] } {
  let n = 0;
  const calls: string[] = [];
  return {
    calls,
    async remote(req) {
      let ok = true;
      for (const h of req.hosts) {
        const cmd = `${req.id ?? `${req.step}#${++n}`}@${h.host}`;
        calls.push(`${h.host}: ${req.run.command}`);
        req.ctx.emit({
          type: 'command/started',
          t: req.ctx.now(),
          cmd,
          step: req.step,
          host: h.host,
          command: req.run.command,
          ...(req.level ? { level: req.level } : {}),
        } as SessionEvent);
        req.ctx.emit({ type: 'command/output', t: req.ctx.now(), cmd, host: h.host, stream: 'stdout', text: `done on ${h.host}\n` });
        const c = code(h.host);
        if (c !== 0) ok = false;
        req.ctx.emit({ type: 'command/exited', t: req.ctx.now(), cmd, host: h.host, code: c, ms: 5 });
      }
      return { ok, summary: ok ? `${req.hosts.length}/${req.hosts.length} hosts ok` : 'a host failed' };
    },
    async local(req) {
      calls.push(`local: ${JSON.stringify(req.local.command)}`);
      return { ok: true, summary: 'exit 0' };
    },
    connections: () => 0,
    close: async () => {},
  };
}

/** A started live session on a fixture runbook, and a console model over it. */
export async function liveModel(rb: Runbook = fixture(), exec = instantExecutors()) {
  const session = new Session({
    runbook: rb,
    runbookPath: 'rb.yaml',
    runbookSha256: '0'.repeat(64),
    operator: 'alice',
    mode: 'live',
    version: '0.1.0',
    executors: exec,
    publishMs: 5,
  });
  await session.start();
  let quit = 0;
  const model: ConsoleModel = sessionModel(session, { onQuit: () => void quit++ });
  return { session, model, exec, quits: () => quit };
}
