/** The hosts a rollback would touch, per level: what the warm pool keeps connected. */
import type { HostSpec, Runbook } from '../runbook/schema.js';

/** Each rollback level with the hosts its `run` steps touch (levels without remote steps left out). */
export function rollbackHosts(rb: Runbook): { level: string; hosts: HostSpec[] }[] {
  return (rb.rollback?.levels ?? []).flatMap((l) => {
    const hosts = l.steps.flatMap((s) => (s.run ? (rb.hosts?.[s.run.on] ?? []) : []));
    return hosts.length ? [{ level: l.id, hosts }] : [];
  });
}
