/** Loads a runbook file: read, parse YAML, validate schema and references, all problems located. */
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { RunbookSchema, type Runbook } from './schema.js';
import { issuesToProblems } from './issues.js';
import { checkRunbook, type Finding } from './refs.js';
import { checkEnv } from './env-fields.js';
import { checkCredentials } from './credentials.js';
import { checkSecrets } from './secrets.js';
import { checkNotify } from './notify.js';
import { valueOffsetToSource } from './promql.js';
import { sortProblems, type Problem } from './problem.js';
import { YamlSource } from './yaml-source.js';

/** Runbooks are hand-written: anything this large is not one. */
const MAX_BYTES = 4 * 1024 * 1024;

/** The outcome of loading: a runbook when there are no problems. */
export interface Loaded {
  file: string;
  runbook?: Runbook;
  problems: Problem[];
  /** The file's text, when it could be read. */
  text?: string;
  /** sha256 of the file's bytes, when it could be read. */
  sha256?: string;
}

/**
 * Reads and validates one runbook file. Never throws for anything in the file. `env` is where
 * `${VAR}` will come from (each one used must be set there); null skips that check, for callers
 * that replace those fields (the demo).
 */
export function loadRunbookFile(file: string, env: NodeJS.ProcessEnv | null = process.env): Loaded {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return fail(file, 'is a directory, not a runbook file');
    if (st.size > MAX_BYTES) return fail(file, `is ${Math.round(st.size / 1024 / 1024)} MiB; a runbook is a small YAML file (limit 4 MiB)`);
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail(file, 'no such file; check the path');
    if (code === 'EACCES' || code === 'EPERM') return fail(file, 'permission denied; check the file mode');
    return fail(file, `cannot read: ${(e as Error).message}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = decode(bytes);
  if (text === undefined) return { file, sha256, problems: [{ file, line: 1, col: 1, message: 'binary file, not a YAML runbook' }] };
  return { ...loadRunbookText(file, text, env), sha256 };
}

/** Validates runbook text (the file name is used only in problems), every problem in one run. */
export function loadRunbookText(file: string, text: string, env: NodeJS.ProcessEnv | null = process.env): Loaded {
  if (text.trim() === '' || /^(\s*#.*\n?)*\s*$/.test(text))
    return { file, text, problems: [{ file, line: 1, col: 1, message: 'empty file; a runbook needs at least name and phases' }] };
  const src = new YamlSource(file, text);
  const syntax = src.syntaxProblems();
  // Only the first: later YAML errors are almost always the parser losing its footing after it.
  if (syntax.length) return { file, text, problems: sortProblems(syntax).slice(0, 1) };
  let data: unknown;
  try {
    data = src.toJS();
  } catch (e) {
    if (/alias/i.test((e as Error).message))
      return {
        file,
        text,
        problems: [
          {
            ...src.at(src.firstAliasOffset()),
            message: 'YAML aliases expand too much (an alias bomb?); cutover refuses more than 100 alias expansions',
          },
        ],
      };
    return { file, text, problems: [{ file, line: 1, col: 1, message: `cannot read YAML: ${(e as Error).message.split('\n')[0]}` }] };
  }
  // Schema, references, ${VAR}, secrets and credentials all look at the same data, so one run reports them all.
  const parsed = RunbookSchema.safeParse(data);
  const findings = [
    ...checkRunbook(data, env),
    ...checkEnv(data, env),
    ...checkSecrets(data, env),
    ...checkCredentials(data),
    ...checkNotify(data, env),
  ].map((f) => locate(src, f));
  const problems = distinct([...findings, ...(parsed.success ? [] : issuesToProblems(src, parsed.error.issues, data))]);
  if (problems.length || !parsed.success) return { file, text, problems: sortProblems(problems) };
  return { file, text, runbook: parsed.data, problems: [] };
}

/** Places a finding: on the exact character when it points inside a string, else on its node. */
function locate(src: YamlSource, f: Finding): Problem {
  const s = f.offset !== undefined ? src.scalarAt(f.path) : undefined;
  if (s && typeof s.value === 'string')
    return { ...src.at(valueOffsetToSource(src.text, s.range[0], s.range[1], s.value, f.offset!)), message: f.message };
  return { ...src.locate(f.path, f.key), file: src.file, message: f.message };
}

/**
 * The same message on the same line once: a schema issue and a check may meet, the check
 * pointing inside the value (at a threshold's unit) and the schema at the value's start.
 */
function distinct(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.line}:${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Loads a runbook or throws a RunbookError holding every problem. */
export function loadRunbook(file: string, env: NodeJS.ProcessEnv | null = process.env): Runbook & {} {
  const r = loadRunbookFile(file, env);
  if (!r.runbook) throw new RunbookError(r.problems);
  return r.runbook;
}

/** Thrown by loadRunbook; its message is the problems, one per line. */
export class RunbookError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      problems.map((p) => (p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}:${p.col}: ${p.message}`)).join('\n'),
    );
    this.name = 'RunbookError';
  }
}

function fail(file: string, message: string): Loaded {
  return { file, problems: [{ file, message }] };
}

function decode(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}
