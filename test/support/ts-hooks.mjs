// Module hooks that let a plain `node` run cutover's TypeScript sources directly (the fixture
// recorder, test/report/record-sessions.ts), with Node's own type stripping. `.js` imports resolve
// to the `.ts` file beside them. Tests that need a separate process run bin/cutover on dist/.
import { readFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const local = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !local || !specifier.endsWith('.js')) throw err;
    for (const ext of ['.ts', '.tsx']) {
      try {
        return await next(specifier.slice(0, -3) + ext, context);
      } catch {
        // try the next extension
      }
    }
    throw err;
  }
}

export async function load(url, context, next) {
  if (!/\.tsx?$/.test(url)) return next(url, context);
  const file = fileURLToPath(url);
  if (file.endsWith('.tsx')) throw new Error(`${file}: Node cannot strip JSX; import the compiled dist/ instead`);
  // 'transform' also turns parameter properties (`constructor(private readonly x)`) into plain JavaScript.
  const source = stripTypeScriptTypes(await readFile(file, 'utf8'), { mode: 'transform', sourceUrl: url });
  return { format: 'module', source, shortCircuit: true };
}
