/**
 * `cutover follow --approve`: the two keys a second person answers a pending approval request
 * with, and their prompts. `a` approves: a confirmation first (capital Y when the subject is a
 * rollback, as confirming one in the console), then an optional reason. `r` refuses, with a
 * required reason. The answer goes to the console through its socket (protocol.ts); the console
 * decides (it refuses a self-approval, a request no longer pending) and is the only writer of the
 * journal: the follower shows the console's answer, and the decision once it is journaled.
 * Without --approve none of this exists (follow-model.ts gives no bindings at all).
 */
import { sanitizeLine } from '../core/controls.js';
import type { Binding } from '../ui/keys/bindings.js';
import { editField } from '../ui/keys/text-edit.js';
import { inputLine } from '../ui/dialogs.js';
import { line } from '../ui/rows.js';
import type { OverlayView } from '../ui/components/Overlay.js';
import type { ModelModal } from '../ui/model.js';
import type { Answer, Request, Source } from './protocol.js';
import type { PendingView } from './follow-approvals.js';

/** The open prompt: confirming an approval, or typing the reason of an approval or a refusal. */
type Prompt =
  | { step: 'confirm'; req: PendingView }
  | { step: 'reason'; req: PendingView; decision: 'approve' | 'refuse'; input: string; cursor: number }
  | { step: 'sending'; req: PendingView; decision: 'approve' | 'refuse' };

/** What the approver needs: who they are, where the console listens, how to ask, and whom to tell of changes. */
export interface ApproveOptions {
  by: string;
  socket: string;
  /** The requests waiting now, oldest first (the followed state's). */
  pending(): PendingView[];
  ask(path: string, req: Request): Promise<Answer>;
  changed(): void;
}

/** Longest reason typed. */
const MAX_REASON = 300;

/** The approver: bindings, the open prompt, and the console's last answer. */
export class Approver {
  /** The console's last answer, for the follow line (cleared by the next prompt). */
  message: { ok: boolean; text: string } | undefined;
  private prompt: Prompt | undefined;

  constructor(private readonly o: ApproveOptions) {}

  /**
   * `a` and `r`, disabled (with why) when no request is pending. Flagged neither `acts` nor
   * `dangerous`: the follower's model is read-only, which strips those; these exist only with
   * --approve, change nothing themselves, and a rollback approval asks for capital Y first.
   */
  bindings(): Binding[] {
    const req = this.o.pending()[0];
    const why = req ? undefined : 'no approval request is pending';
    return [
      {
        keys: ['a'],
        description: req ? `approve ${req.subject}…` : 'approve…',
        urgent: Boolean(req),
        handler: () => req && this.open({ step: 'confirm', req }),
        ...(why ? { disabledReason: why } : {}),
      },
      {
        keys: ['r'],
        description: req ? `refuse ${req.subject}…` : 'refuse…',
        urgent: Boolean(req),
        handler: () => req && this.open({ step: 'reason', req, decision: 'refuse', input: '', cursor: 0 }),
        ...(why ? { disabledReason: why } : {}),
      },
    ];
  }

  /** The open prompt, which gets every key; undefined when none is. */
  modal(): ModelModal | undefined {
    const p = this.prompt;
    if (!p) return undefined;
    // Decided meanwhile (by someone else, or the session ended): the prompt has nothing left to answer.
    if (p.step !== 'sending' && !this.o.pending().some((r) => r.id === p.req.id)) {
      this.prompt = undefined;
      this.message = { ok: false, text: `the request for ${p.req.subject} is no longer pending` };
      return undefined;
    }
    return { view: this.view(p), key: (k, raw) => this.key(p, k, raw) };
  }

  private open(p: Prompt): void {
    this.message = undefined;
    this.prompt = p;
    this.o.changed();
  }

  private close(): void {
    this.prompt = undefined;
    this.o.changed();
  }

  private view(p: Prompt): OverlayView {
    const r = p.req;
    const head = [
      line(`${r.operator} asks a second person to approve: ${r.subject}`, { bold: true }),
      ...(r.reason ? [line(`their reason: ${r.reason}`)] : []),
      line(`You answer as ${this.o.by}; your name and reason are journaled by the console.`, { dim: true }),
      line(''),
    ];
    if (p.step === 'confirm')
      return {
        title: `APPROVE: ${r.subject}`,
        lines: [...head, line(r.rollback ? 'Approve this rollback? Capital Y approves.' : 'Approve? y approves.', { bold: true })],
        hint: r.rollback ? 'Y approve (capital Y) · esc/n cancel' : 'y approve · esc/n cancel',
        danger: r.rollback,
      };
    if (p.step === 'reason')
      return {
        title: `${p.decision === 'approve' ? 'APPROVE' : 'REFUSE'}: ${r.subject}`,
        lines: [...head, line(p.decision === 'refuse' ? 'Reason (required):' : 'Reason (optional):'), inputLine(p.input, p.cursor, 72)],
        hint: `enter ${p.decision === 'approve' ? 'approve' : 'refuse'} · esc cancel`,
        danger: p.decision === 'refuse',
      };
    return {
      title: `${p.decision === 'approve' ? 'APPROVE' : 'REFUSE'}: ${r.subject}`,
      lines: [...head, line('sending…')],
      hint: '',
      danger: false,
    };
  }

  private key(p: Prompt, k: string, raw: string): void {
    if (p.step === 'sending') return;
    if (k === 'esc' || k === 'ctrl-c') return this.close();
    if (p.step === 'confirm') {
      if (k === 'Y' || (k === 'y' && !p.req.rollback))
        return this.open({ step: 'reason', req: p.req, decision: 'approve', input: '', cursor: 0 });
      if (k === 'y') {
        this.message = { ok: false, text: 'approving a rollback needs capital Y (shift-y); esc cancels' };
        return this.o.changed();
      }
      if (k === 'n' || k === 'q') return this.close();
      return;
    }
    if (k === 'enter') {
      const reason = p.input.trim();
      if (p.decision === 'refuse' && !reason) {
        this.message = { ok: false, text: 'a refusal needs a reason' };
        return this.o.changed();
      }
      return void this.send(p.req, p.decision, reason);
    }
    const f = editField({ text: p.input, cursor: p.cursor }, k, raw, MAX_REASON);
    if (f) {
      this.prompt = { ...p, input: f.text, cursor: f.cursor };
      this.o.changed();
    }
  }

  private async send(req: PendingView, decision: 'approve' | 'refuse', reason: string): Promise<void> {
    this.prompt = { step: 'sending', req, decision };
    this.message = undefined;
    this.o.changed();
    const source: Source = { user: this.o.by, pid: process.pid, command: process.argv.slice(1).join(' ').slice(0, 200) };
    const a = await this.o.ask(this.o.socket, {
      op: 'approve',
      request: req.id,
      decision,
      by: this.o.by,
      ...(reason ? { reason } : {}),
      source,
    });
    this.prompt = undefined;
    this.message = a.ok
      ? {
          ok: true,
          text: `${decision === 'approve' ? 'approved' : 'refused'} ${req.subject}: the console took it${a.seq ? ` (seq ${a.seq})` : ''}`,
        }
      : /no answer within/.test(a.error)
        ? // The console may have journaled it and acted, and only the answer was late: never say it did not happen.
          {
            ok: false,
            text: `no answer in time: the ${decision === 'approve' ? 'approval' : 'refusal'} may still have been recorded; the timeline will say`,
          }
        : { ok: false, text: `the console said no: ${oneLine(a.error)}` };
    this.o.changed();
  }
}

/** An answer's error as one bounded line (it comes from another process). */
function oneLine(s: unknown): string {
  const t = sanitizeLine(String(s)).trim();
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}
