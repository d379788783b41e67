/** How a local command reads on screen and in events: the same text in the timeline and the rollback plan. */

/** The command as the operator reads it: argv shell-quoted, a shell string as written. */
export function displayCommand(command: string | string[]): string {
  if (typeof command === 'string') return command;
  return command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
