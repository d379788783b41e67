/** Host entries of a runbook's groups: `name`, `name:port`, `[v6]:port` or `{host, ...}`. */

/** A host after normalization: always an object. */
export interface HostSpec {
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  jump?: string;
}

/** Turns `name`, `name:port`, `[v6]:port` or `{host, ...}` into a HostSpec. */
export function normalizeHost(h: string | HostSpec): HostSpec {
  if (typeof h !== 'string') return stripUndefined({ ...h });
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(h);
  if (v6) return v6[2] ? { host: v6[1], port: Number(v6[2]) } : { host: v6[1] };
  const m = /^([^:]+):(\d+)$/.exec(h);
  return m ? { host: m[1], port: Number(m[2]) } : { host: h };
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
