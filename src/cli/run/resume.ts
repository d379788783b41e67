/**
 * `run --resume JOURNAL`: decides which runbook a resumed session runs, and whether it may. The
 * journal's chain must be intact; the runbook is loaded from the file (-f, else the path the
 * journal recorded), and it must be the runbook the journal recorded (same sha256) unless the
 * operator accepts the edited file with --accept-changed-runbook, a choice session/resumed keeps.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { SessionEvent } from '../../core/events.js';
import { checkIntegrity } from '../../journal/integrity.js';
import { diffRunbooks, summarizeChanges } from '../../runbook/diff.js';
import { loadRunbookFile } from '../../runbook/load.js';
import type { Problem } from '../../runbook/problem.js';
import type { Runbook } from '../../runbook/schema.js';
import { readForResume } from './start.js';

/** The flag that continues with an edited runbook. */
export const ACCEPT_FLAG = '--accept-changed-runbook';

/** What the session resumes with: the journal's events and the runbook loaded from `runbookPath`. */
export interface ResumePlan {
  events: SessionEvent[];
  runbook: Runbook;
  runbookPath: string;
  runbookSha256: string;
  /** Set when the file differs from the journal's runbook and the operator accepted it: what changed. */
  changes?: string;
  /** Lines to tell the operator before the session starts. */
  notices: string[];
}

/** Why resume stops before anything runs: one line (or the runbook's problems, `FILE:LINE:COL` each). */
export type ResumeRefusal = { message: string; problems?: undefined } | { problems: Problem[]; message?: undefined };

/** Checks the journal and the runbook file; nothing is written either way. */
export async function planResume(
  journal: string,
  o: { file?: string; accept: boolean; env: NodeJS.ProcessEnv },
): Promise<{ plan: ResumePlan } | { refused: ResumeRefusal }> {
  const refuse = (message: string) => ({ refused: { message } });
  let integrity: Awaited<ReturnType<typeof checkIntegrity>>;
  try {
    integrity = await checkIntegrity(journal);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return refuse(
      `${journal}: ${code === 'ENOENT' ? 'no such journal; check the path (cutover sessions lists them)' : (e as Error).message}`,
    );
  }
  if (!integrity.intact)
    return refuse(
      `${integrity.problems[0]}; a journal that is not intact is not resumed: inspect it (cutover verify ${journal}), or start a new session`,
    );
  let r: ReturnType<typeof readForResume>;
  try {
    r = readForResume(journal);
  } catch (e) {
    return refuse((e as Error).message);
  }
  const notices: string[] = [];
  const file = o.file ?? r.runbookPath;
  if (o.file === undefined) {
    // A relative path was relative to where the session started, which may not be here.
    const where = isAbsolute(file) ? '' : ' (from this directory)';
    if (!existsSync(file))
      return refuse(`${journal}: its runbook ${file} is gone${where}; pass -f RUNBOOK to name the runbook to continue with`);
    notices.push(`runbook: ${file} (the path the journal recorded; -f names another)`);
  }
  const loaded = loadRunbookFile(file, o.env);
  if (!loaded.runbook) return { refused: { problems: loaded.problems } };
  const plan: ResumePlan = { events: r.events, runbook: loaded.runbook, runbookPath: file, runbookSha256: loaded.sha256 ?? '', notices };
  if (plan.runbookSha256 === r.runbookSha256) return { plan };

  const changes = diffRunbooks(r.runbook, loaded.runbook);
  const summary = changes.length
    ? summarizeChanges(changes)
    : "changed in ways the journal's copy cannot show (redacted values, comments or formatting)";
  const since = r.events.some((e) => e.type === 'session/resumed' && e.runbook) ? 'was last resumed' : 'started';
  const what = `${file} changed since the journal ${since} (sha256 ${short(r.runbookSha256)} → ${short(plan.runbookSha256)}): ${summary}`;
  if (!o.accept) return refuse(`${what}; nothing was run; to continue with the edited file pass ${ACCEPT_FLAG}`);
  const lost = recordedButGone(r.events, loaded.runbook);
  if (lost) return refuse(`${file}: ${lost}; the journal's record needs it: put it back in the runbook, or start a new session`);
  notices.push(`${what}; continuing with it (${ACCEPT_FLAG}), and the journal records that`);
  return { plan: { ...plan, changes: summary } };
}

/**
 * The first phase, step or rollback level the journal has a record of (started, decided, skipped)
 * that the new runbook no longer has. Such a record would lose its place in the checklist, the
 * report and the outcome, so an edit may change and add, but not remove what already happened.
 */
export function recordedButGone(events: readonly SessionEvent[], rb: Runbook): string | undefined {
  const steps = new Set(rb.phases.flatMap((p) => p.steps.map((s) => s.id)));
  const phases = new Set(rb.phases.map((p) => p.id));
  const levels = new Map((rb.rollback?.levels ?? []).map((l) => [l.id, new Set(l.steps.map((s) => s.id))]));
  for (const e of events) {
    if (e.type === 'step/started' || e.type === 'step/passed' || e.type === 'step/failed' || e.type === 'step/skipped') {
      if (!steps.has(e.step)) return `step "${e.step}" is in the journal (${e.type.slice(5)}) but not in this runbook`;
    } else if (e.type === 'gate/decided') {
      if (!phases.has(e.phase)) return `phase "${e.phase}" has a gate decision in the journal but is not in this runbook`;
    } else if (e.type === 'rollback/confirmed' || e.type === 'rollback/step') {
      const level = levels.get(e.level);
      if (!level) return `rollback level "${e.level}" ran in this session but is not in this runbook`;
      if (e.type === 'rollback/step' && !level.has(e.step))
        return `rollback level "${e.level}": step "${e.step}" ran in this session but is not in this runbook`;
    }
  }
  return undefined;
}

/** The first characters of a sha256: enough to tell two apart in a line. */
function short(sha: string): string {
  return sha ? `${sha.slice(0, 8)}…` : 'none';
}
