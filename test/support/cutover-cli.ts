// The CLI entry for child processes in tests, on the TypeScript sources (see ts-register.mjs).
import { main } from '../../src/cli/main.js';

await main(process.argv.slice(2));
