// Module hooks that let a plain `node` child process run cutover's TypeScript sources directly
// (tests that need a real separate process: SIGKILL, resume), transpiled on load with the
// project's own TypeScript. `.js` imports resolve to the `.ts`/`.tsx` file beside them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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
  const out = ts.transpileModule(await readFile(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX, sourceMap: false },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
