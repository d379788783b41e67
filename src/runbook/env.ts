/** `${VAR}` in runbook strings comes from the environment at the moment of use, never journaled. */
import type { HostSpec } from './host.js';
import type { Runbook } from './schema.js';

/** The `${NAME}` references cutover expands; anything else after `${` is malformed. */
export const ENV_REF = /\$\{([A-Za-z_]\w*)\}/g;

/** Thrown when a `${VAR}` is not set; the message names the variable and where it is used. */
export class MissingEnvError extends Error {
  constructor(
    readonly variable: string,
    readonly where: string,
  ) {
    super(`${where} uses \${${variable}}, which is not set in the environment; export ${variable} before running cutover`);
    this.name = 'MissingEnvError';
  }
}

/** Replaces every `${VAR}` with its value from `env`; throws MissingEnvError for an unset one. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv, where: string): string {
  return text.replace(ENV_REF, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw new MissingEnvError(name, where);
    return v;
  });
}

/** A host entry with `${VAR}` expanded in host, user, identityFile and jump; `label` names it in errors. */
export function expandHostSpec(spec: HostSpec, env: NodeJS.ProcessEnv, label: string): HostSpec {
  const out: HostSpec = { ...spec, host: expandEnv(spec.host, env, `host ${label}`) };
  for (const k of ['user', 'identityFile', 'jump'] as const) {
    const v = spec[k];
    if (v !== undefined) out[k] = expandEnv(v, env, `the ${k} of host ${label}`);
  }
  return out;
}

/** The runbook's `ssh` section with `${VAR}` expanded in user, identityFile, knownHosts and jump. */
export function expandSsh<T extends NonNullable<Runbook['ssh']>>(ssh: T, env: NodeJS.ProcessEnv): T {
  const out: T = { ...ssh };
  for (const k of ['user', 'identityFile', 'knownHosts', 'jump'] as const) {
    const v = ssh[k];
    if (v !== undefined) out[k] = expandEnv(v, env, `ssh.${k}`);
  }
  return out;
}
