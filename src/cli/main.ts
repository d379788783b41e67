/** The CLI entry: global flags, dispatch to a lazily loaded command, exit codes. */
import { createRequire } from 'node:module';
import { COMMANDS, type CommandSpec } from './commands.js';
import { EX_UNAVAILABLE, EX_USAGE, UsageError, processIo, type Io } from './usage.js';

/** Runs the CLI and exits the process with the command's code. */
export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv, processIo());
  process.exitCode = code;
  // Exit once stdout has drained, rather than wait for every handle to let go: a terminal left in
  // raw mode by a UI library, or a socket some driver forgot, must never keep cutover hanging.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/** Runs the CLI with the given streams; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0]) return commandHelp(rest[0], io);
    io.out(globalHelp());
    return first === undefined ? EX_USAGE : 0;
  }
  if (first === '--version' || first === '-V') {
    io.out(`cutover ${version()}\n`);
    return 0;
  }
  if (first.startsWith('-')) return usage(io, `unknown option '${first}'; try 'cutover --help'`);
  const spec = COMMANDS.find((c) => c.name === first);
  if (!spec) {
    const guess = COMMANDS.find((c) => c.name.startsWith(first.slice(0, 2)));
    return usage(io, `unknown command '${first}'${guess ? `; did you mean '${guess.name}'?` : ''} (try 'cutover --help')`);
  }
  if (rest.includes('--help') || rest.includes('-h')) return commandHelp(spec.name, io);
  if (!spec.load) {
    io.err(`cutover ${spec.name}: not built yet in this version\n`);
    return EX_UNAVAILABLE;
  }
  try {
    const mod = await spec.load();
    return await mod.main(rest, io);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, `${spec.name}: ${e.message}; usage: cutover ${spec.synopsis}`);
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      return usage(io, `${spec.name}: ${(e as Error).message.split('\n')[0]}; usage: cutover ${spec.synopsis}`);
    io.err(`cutover ${spec.name}: internal error: ${(e as Error).message}\n`);
    if (io.env.CUTOVER_DEBUG) io.err(`${(e as Error).stack}\n`);
    return 70;
  }
}

function usage(io: Io, message: string): number {
  io.err(`cutover: ${message}\n`);
  return EX_USAGE;
}

function commandHelp(name: string, io: Io): number {
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) return usage(io, `unknown command '${name}'`);
  io.out(
    `usage: cutover ${spec.synopsis}\n\n${cap(spec.summary)}.${spec.load ? '' : ' (not built yet in this version)'}\n${spec.help.length ? `\n${spec.help.join('\n')}\n` : ''}`,
  );
  return 0;
}

function globalHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  const line = (c: CommandSpec) => `  ${c.name.padEnd(w)}  ${c.summary}${c.load ? '' : ' (not built yet)'}`;
  return [
    'cutover: a terminal war-room console for production deploys',
    '',
    'usage: cutover COMMAND [options]',
    '',
    'commands:',
    ...COMMANDS.map(line),
    '',
    "Run 'cutover COMMAND --help' for a command's options and exit codes.",
    'Usage mistakes exit 64.',
    '',
  ].join('\n');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function version(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
