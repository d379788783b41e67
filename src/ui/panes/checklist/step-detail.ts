/** What a step will do, in words an operator checks before pressing Enter: the command and its hosts, the URL, the check, the wait. */
import { displayCommand } from '../../../core/command-text.js';
import { formatThreshold } from '../../../core/format.js';
import { formatDuration } from '../../../runbook/duration.js';
import { stepKind, type Runbook, type Step } from '../../../runbook/schema.js';

/** A step's action (`ssh green (2 hosts): curl …`) and, where it has some, its targets (`on app-g1, app-g2`). */
export interface StepDetail {
  action: string;
  targets?: string;
}

/** The hosts of a group as they are addressed (`name` or `name:port`). */
export function groupHosts(rb: Runbook, group: string): string[] {
  return (rb.hosts?.[group] ?? []).map((h) => (h.port !== undefined ? `${h.host}:${h.port}` : h.host));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The detail of a step of the runbook. */
export function stepDetail(step: Step, rb: Runbook): StepDetail {
  switch (stepKind(step)) {
    case 'run': {
      const run = step.run!;
      const hosts = groupHosts(rb, run.on);
      const opts = [
        run.batch && `batch ${'count' in run.batch ? run.batch.count : `${run.batch.percent}%`}`,
        run.maxFail && `maxFail ${'count' in run.maxFail ? run.maxFail.count : `${run.maxFail.percent}%`}`,
        run.timeout !== undefined && `timeout ${formatDuration(run.timeout)}`,
      ].filter(Boolean);
      return {
        action: `ssh ${run.on} (${plural(hosts.length, 'host')}): ${run.command}`,
        targets: `on ${hosts.join(', ') || 'no hosts'}${opts.length ? `; ${opts.join(', ')}` : ''}`,
      };
    }
    case 'local': {
      const l = step.local!;
      return {
        action: `local${l.shell ? ' (shell)' : ''}: ${displayCommand(l.command)}`,
        targets: `on this machine${l.cwd ? ` in ${l.cwd}` : ''}${l.timeout !== undefined ? `; timeout ${formatDuration(l.timeout)}` : ''}`,
      };
    }
    case 'http': {
      const h = step.http!;
      return {
        action: `GET ${h.url}`,
        targets: `expects HTTP ${h.status ?? 200}${h.timeout !== undefined ? ` within ${formatDuration(h.timeout)}` : ''}`,
      };
    }
    case 'expect': {
      const e = step.expect!;
      const panel = rb.health?.find((p) => p.id === e.panel);
      const check = formatThreshold(e.check.op, e.check.value, panel?.unit, e.check.ratio);
      return {
        action: `check ${panel?.title ?? e.panel} ${check}`,
        targets: e.within !== undefined ? `keeps checking for up to ${formatDuration(e.within)}` : 'checked once, now',
      };
    }
    case 'wait':
      return { action: `wait ${formatDuration(step.wait!)}` };
    case 'manual':
      return { action: 'manual: Enter records it as done, with your name' };
  }
}

/** The step with this id, in the phases or the rollback levels. */
export function findStep(rb: Runbook, id: string): Step | undefined {
  for (const ph of rb.phases) for (const s of ph.steps) if (s.id === id) return s;
  for (const l of rb.rollback?.levels ?? []) for (const s of l.steps) if (s.id === id) return s;
  return undefined;
}
