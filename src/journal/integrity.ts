/**
 * Whether a journal is intact, layer by layer: the hash chain inside the file, the head anchor
 * beside it (`JOURNAL.head`), and the signature of that head. Every reader that shows a journal as
 * fact (verify, replay, report, resume) asks this one function and shows its problems at the top.
 *
 * What each layer proves, and what it cannot:
 * - the chain: no line was edited, dropped, inserted or reordered, unless whoever did it also
 *   recomputed every hash after it (anyone can: the hash has no secret); a tail cut off leaves a
 *   valid chain.
 * - the head: the file still ends where it ended when the head was last written (after each
 *   decision, and at close), with the same hash, so a cut tail or a recomputed chain is found,
 *   unless whoever did it also rewrote the head (it is a plain file beside the journal).
 * - the signature: the head is the one the holder of that SSH key signed at session end, so a
 *   head rewritten by anyone else is found; the key's holder can still rewrite history and sign it,
 *   and nothing proves lines after the signed head, or that a journal without a head once had one.
 */
import type { VerifyResult } from './verify.js';
import { checkAnchorSteps } from './anchor.js';
import { checkSignature } from './signature.js';

/** What each layer said about a journal. */
export interface Integrity {
  /** True when no layer found a problem (an absent head or signature is a note, not a problem). */
  intact: boolean;
  /** Lines the chain holds (a torn last line excluded). */
  lines: number;
  /** The chain's verdict. */
  chain: VerifyResult;
  /** One line each, naming `FILE:LINE` where there is a line: why the journal is not intact. */
  problems: string[];
  /** One line each: what could not be checked (no head anchor, no signature, no signers file). */
  notes: string[];
  /** One line each: what was checked and held (chain, head, signature); optional so older callers' literals still fit. */
  checked?: string[];
}

/**
 * Options: `signers` is an OpenSSH allowed_signers file to check the head's signature with (then a
 * missing signature is a problem); `env` is where ssh-keygen is looked up; `timeoutMs` its deadline.
 */
export interface IntegrityOptions {
  signers?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Pause every few thousand lines for the event loop (a console checking on its own thread stays responsive). */
  yielding?: boolean;
  /** Asked at each pause: true gives up (the replay quit); the answer is then an error. */
  stop?: () => boolean;
}

/** Checks every layer of the journal at `path`; streams the file (two hashes kept, whatever its size). */
export async function checkIntegrity(path: string, opts: IntegrityOptions = {}): Promise<Integrity> {
  const steps = checkAnchorSteps(path);
  let step = steps.next();
  while (!step.done) {
    if (opts.yielding) await new Promise((resolve) => setImmediate(resolve));
    if (opts.stop?.()) {
      steps.return(undefined as never);
      throw new Error('the integrity check was stopped');
    }
    step = steps.next();
  }
  const a = step.value;
  const s = await checkSignature(path, a.head?.bytes, opts);
  const problems = [...a.problems, ...s.problems];
  return {
    intact: problems.length === 0,
    lines: a.lines,
    chain: a.chain,
    problems,
    notes: [...a.notes, ...s.notes],
    checked: [...a.checked, ...s.checked],
  };
}
