/** `cutover schema`: the JSON Schema of the runbook format, for yaml-language-server and friends. */
import { z } from 'zod';
import { RunbookSchema } from '../runbook/schema.js';
import { UsageError, type Io } from './usage.js';

export async function main(argv: string[], io: Io): Promise<number> {
  if (argv.length) throw new UsageError(`takes no arguments (got '${argv[0]}')`);
  io.out(`${JSON.stringify(runbookJsonSchema(), null, 2)}\n`);
  return 0;
}

/** The JSON Schema of what a runbook file may contain (the input side of the zod schema). */
export function runbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RunbookSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://cutover.dev/runbook.schema.json', title: 'cutover runbook' };
}
