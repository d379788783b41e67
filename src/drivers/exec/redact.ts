/**
 * Secrets never reach the screen or the journal (DESIGN.md §4): the values of the runbook's
 * secret variables, its `redact` patterns and common token shapes are replaced before a line is
 * emitted. Lines are redacted after control sequences are stripped, so escape codes cannot split
 * a token to slip it through.
 */
import { secretParts } from '../../runbook/secrets.js';

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Token shapes redacted always: whole match replaced, or group 1 kept as a prefix. */
const BUILTIN: RegExp[] = [
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bsk_(?:live|test)_[A-Za-z0-9]{16,}\b/g, // Stripe
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWTs
  /(\bAuthorization\s*[:=]\s*(?:Bearer|Basic|Token|Bot)\s+)[^\s"',;]+/gi,
  /(\bBearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g,
  /(\b(?:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|api[_-]?key|aws_secret_access_key|private[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)[^\s@/]+(?=@)/gi, // credentials in URLs
];

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;

/** Redaction for one stream: the patterns plus the state of a private-key block spanning lines. */
export interface StreamRedactor {
  /**
   * The line with secrets replaced, or undefined when the whole line is dropped (inside a key
   * block). `cut`: the line was cut short, so a secret's first characters at its end go too.
   */
  line(text: string, cut?: boolean): string | undefined;
}

/** The patterns of a session: its secret values and the runbook's `redact` list compiled once, plus the built-in shapes. */
export class Redactor {
  private readonly user: RegExp[] = [];
  /** The secret values as one alternation, longest first (so a value that contains another goes whole). */
  private readonly literals: RegExp | undefined;
  private readonly parts: string[];

  /**
   * `extra` are the runbook's patterns (JS regex source); invalid ones were refused at load time.
   * `secrets` are values hidden wherever they appear (runbook/secrets.ts: each line of a value,
   * shorter lines than MIN_SECRET_LENGTH left out).
   */
  constructor(extra: readonly string[] = [], secrets: readonly string[] = []) {
    this.parts = [...new Set(secrets.flatMap(secretParts))].sort((a, b) => b.length - a.length);
    this.literals = this.parts.length ? new RegExp(this.parts.map(escapeRegExp).join('|'), 'g') : undefined;
    for (const src of extra) {
      try {
        this.user.push(new RegExp(src, 'g'));
      } catch {
        // Load-time validation reports bad patterns; a pattern that slips through must not crash output.
      }
    }
  }

  /** Redacts one self-contained text (a command line, an error message). */
  text(s: string): string {
    let out = s;
    // Secret values first: a pattern that took part of one would leave the rest to be seen.
    if (this.literals) out = replaceAll(out, this.literals, () => REDACTED);
    // The runbook's patterns replace their whole match, whatever groups they have.
    for (const re of this.user) out = replaceAll(out, re, (m) => (m === '' ? m : REDACTED));
    // Built-in shapes with a group keep it (`password=`) so the reader still sees what was hidden.
    for (const re of BUILTIN) out = replaceAll(out, re, (m, keep) => (typeof keep === 'string' && keep !== m ? keep + REDACTED : REDACTED));
    const begin = KEY_BEGIN.exec(out);
    return begin ? `${out.slice(0, begin.index)}${REDACTED} private key` : out;
  }

  /**
   * A line cut short (at the output cap, or an endless line) may end in the first part of a
   * secret whose rest was dropped: that tail goes too. Only cut lines pay for this.
   */
  cutLine(s: string): string {
    const t = this.text(s);
    for (const p of this.parts)
      for (let k = Math.min(p.length - 1, t.length); k >= PARTIAL_MIN; k--)
        if (t.endsWith(p.slice(0, k))) return t.slice(0, t.length - k) + REDACTED;
    return t;
  }

  /** A fresh per-stream redactor (key blocks are tracked per stream). */
  stream(): StreamRedactor {
    let inKey = false;
    return {
      line: (text, cut) => {
        if (inKey) {
          if (KEY_END.test(text)) inKey = false;
          return undefined;
        }
        const at = text.search(KEY_BEGIN);
        if (at >= 0 && !KEY_END.test(text.slice(at))) inKey = true;
        return cut ? this.cutLine(text) : this.text(text);
      },
    };
  }
}

/** The shortest start of a secret that a cut line loses rather than shows. */
const PARTIAL_MIN = 3;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function replaceAll(s: string, re: RegExp, f: (m: string, keep?: unknown) => string): string {
  re.lastIndex = 0;
  if (!re.test(s)) return s;
  re.lastIndex = 0;
  return s.replace(re, f as (m: string, ...rest: unknown[]) => string);
}
