/**
 * ssh2, loaded on first use so commands that never open a connection never pay for it. Its ESM
 * face is the CommonJS default export: named imports of Server or utils fail at runtime.
 */
import type * as Ssh2 from 'ssh2';

/** The ssh2 module as its default export exposes it. */
export type Ssh2Module = typeof Ssh2;

let loading: Promise<Ssh2Module> | undefined;

/** The ssh2 module, imported once. */
export function loadSsh2(): Promise<Ssh2Module> {
  loading ??= import('ssh2').then((m) => (m as unknown as { default: Ssh2Module }).default);
  return loading;
}
