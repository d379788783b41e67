/** `${VAR}` in runbook strings comes from the environment at the moment of use, never journaled. */

/** Thrown when a `${VAR}` is not set; the message names the variable and where it is used. */
export class MissingEnvError extends Error {
  constructor(readonly variable: string, readonly where: string) {
    super(`${where} uses \${${variable}}, which is not set in the environment; export ${variable} before running cutover`);
    this.name = 'MissingEnvError';
  }
}

/** Replaces every `${VAR}` with its value from `env`; throws MissingEnvError for an unset one. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv, where: string): string {
  return text.replace(/\$\{([A-Za-z_]\w*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw new MissingEnvError(name, where);
    return v;
  });
}
