/**
 * Dialog keys as binding tables, like the panes': the dialog's hint line, the `?` overlay and
 * dispatch read the same tables, and each disabled reason comes from core's `refusal`.
 * Destructive dialogs need a deliberate key (capital Y to roll back); a lowercase y says so.
 */
import { refusal, type Intent, type LiveFacts } from '../core/refusal.js';
import type { SessionState } from '../core/state.js';
import { keyLabel, type Binding } from './keys/bindings.js';
import { editField } from './keys/text-edit.js';
import type { Dialog } from './use-console-ui.js';

/** What dialog keys act on. */
export interface DialogContext {
  state: SessionState;
  now: number;
  /** The live session's facts (journal failing, launching steps); undefined in replay. */
  facts?: LiveFacts;
  /** Replaces the open dialog (undefined closes it). */
  set(dialog: Dialog | undefined): void;
  /** Submits the dialog: the console calls the session's intent and flashes a refusal. */
  submit(dialog: Dialog): void;
}

/** Longest text a dialog takes. */
const MAX_INPUT = 300;

/** The keys of a dialog, in the order the hint shows them. */
export function dialogBindings(d: Dialog, c: DialogContext): Binding[] {
  const why = (intent: Intent) => refusal(c.state, intent, c.now, c.facts);
  const close: Binding = { keys: ['esc', 'ctrl-c'], description: 'cancel', handler: () => c.set(undefined) };
  const submit = (description: string, disabledReason?: string, o: Partial<Binding> = {}): Binding => ({
    keys: ['enter'],
    description,
    handler: () => c.submit(d),
    ...(disabledReason ? { disabledReason } : {}),
    ...o,
  });
  switch (d.kind) {
    case 'skip':
      return [submit('skip', why({ kind: 'skip', step: d.step, reason: d.input }), { acts: true }), close];
    case 'note':
      return [submit('add', why({ kind: 'note', text: d.input }), { acts: true }), close];
    case 'filter':
      return [submit('apply'), close];
    case 'gate':
      if (!d.decision)
        return [
          {
            keys: ['g'],
            description: 'GO',
            acts: true,
            handler: () => c.set({ ...d, decision: 'go' }),
            ...reason(why({ kind: 'gate', phase: d.phase, decision: 'go' })),
          },
          {
            keys: ['n'],
            description: 'NO-GO (reason required)',
            acts: true,
            handler: () => c.set({ ...d, decision: 'no-go' }),
            ...reason(why({ kind: 'gate', phase: d.phase, decision: 'no-go' })),
          },
          close,
        ];
      return [
        submit(`decide ${d.decision.toUpperCase()}`, why({ kind: 'gate', phase: d.phase, decision: d.decision, reason: d.input }), {
          acts: true,
          dangerous: d.decision === 'no-go',
        }),
        close,
      ];
    case 'judge':
      if (!d.decision)
        return [
          {
            keys: ['g'],
            description: 'GO: go on with the canary',
            acts: true,
            handler: () => c.set({ ...d, decision: 'go' }),
            ...reason(why({ kind: 'judge', decision: 'go' })),
          },
          {
            keys: ['n'],
            description: 'NO-GO (reason required)',
            acts: true,
            handler: () => c.set({ ...d, decision: 'no-go' }),
            ...reason(why({ kind: 'judge', decision: 'no-go' })),
          },
          close,
        ];
      return [
        submit(`decide ${d.decision.toUpperCase()}`, why({ kind: 'judge', decision: d.decision, reason: d.input }), {
          acts: true,
          dangerous: d.decision === 'no-go',
        }),
        close,
      ];
    case 'rollback':
      return [
        {
          keys: ['Y'],
          description: 'roll back now (capital Y)',
          dangerous: true,
          handler: () => c.submit(d),
          ...reason(why({ kind: 'rollback', level: d.level })),
        },
        {
          keys: ['y'],
          description: 'nothing: a rollback needs capital Y',
          helpOnly: true,
          handler: () => {},
          disabledReason: 'a rollback needs capital Y (shift-y); esc cancels',
        },
        { keys: ['esc', 'n', 'q', 'ctrl-c'], description: 'cancel', handler: () => c.set(undefined) },
      ];
    case 'abort':
      return [
        {
          keys: ['y'],
          description: 'abort the rollback',
          dangerous: true,
          handler: () => c.submit(d),
          ...reason(why({ kind: 'abort-rollback' })),
        },
        {
          keys: ['Y'],
          description: 'abort (as y)',
          helpOnly: true,
          dangerous: true,
          handler: () => c.submit(d),
          ...reason(why({ kind: 'abort-rollback' })),
        },
        { keys: ['esc', 'n', 'ctrl-c'], description: 'keep it running (any other key too)', handler: () => c.set(undefined) },
      ];
    case 'quit':
      return [
        { keys: d.busy ? ['q'] : ['q', 'y'], description: d.busy ? 'quit anyway (cancels what runs)' : 'quit', handler: () => c.submit(d) },
        ...(d.busy
          ? [
              {
                keys: ['y'],
                description: 'nothing: q quits anyway',
                helpOnly: true,
                handler: () => {},
                disabledReason: 'something runs: q quits anyway (cancels it and records how it ended); esc stays',
              },
            ]
          : []),
        { keys: ['esc', 'n', 'ctrl-c'], description: 'stay (any other key too)', handler: () => c.set(undefined) },
      ];
  }
}

/** Dialogs whose text field takes typed characters. */
export function typedInput(d: Dialog): string | undefined {
  if (d.kind === 'skip' || d.kind === 'note' || d.kind === 'filter') return d.input;
  if ((d.kind === 'gate' || d.kind === 'judge') && d.decision) return d.input;
  return undefined;
}

/** Applies a key to a dialog's text field (typing and line editing, see text-edit.ts); undefined when the key is not for the field. */
export function typeInto(d: Dialog, key: string, raw: string): Dialog | undefined {
  const cur = typedInput(d);
  if (cur === undefined || !('input' in d)) return undefined;
  const f = editField({ text: cur, cursor: d.cursor ?? [...cur].length }, key, raw, MAX_INPUT);
  return f ? ({ ...d, input: f.text, cursor: f.cursor } as Dialog) : undefined;
}

/** Dialogs that close on any key they do not bind (a confirmation is never given by accident). */
export function closesOnOtherKeys(d: Dialog): boolean {
  return d.kind === 'abort' || d.kind === 'quit';
}

/** The hint line at the bottom of a dialog, from its table. */
export function dialogHint(bindings: Binding[]): string {
  return bindings
    .filter((b) => !b.helpOnly)
    .map(
      (b) =>
        `${b.keys
          .filter((k) => k !== 'ctrl-c')
          .map(keyLabel)
          .join('/')} ${b.description}`,
    )
    .join(' · ');
}

/** One example of each dialog, for the `?` overlay: one line each. */
const DIALOG_SAMPLES: { title: string; dialog: Dialog }[] = [
  { title: 'gate', dialog: { kind: 'gate', phase: '', title: '', input: '' } },
  { title: 'gate, after g', dialog: { kind: 'gate', phase: '', title: '', input: '', decision: 'go' } },
  { title: 'gate, after n', dialog: { kind: 'gate', phase: '', title: '', input: '', decision: 'no-go' } },
  { title: 'canary judge (J)', dialog: { kind: 'judge', input: '' } },
  { title: 'roll back', dialog: { kind: 'rollback', level: '' } },
  { title: 'abort', dialog: { kind: 'abort', level: '' } },
  { title: 'skip', dialog: { kind: 'skip', step: '', title: '', input: '' } },
  { title: 'note', dialog: { kind: 'note', input: '' } },
  { title: 'quit (busy)', dialog: { kind: 'quit', busy: true } },
];

/** The `?` overlay's dialog lines: each dialog's keys from its table, without reasons that depend on one open dialog. */
export function dialogHelp(c: DialogContext, readOnly: boolean): { title: string; hint: string }[] {
  if (readOnly) return [];
  return [
    ...DIALOG_SAMPLES.map((s) => ({
      title: s.title,
      hint: dialogHint(dialogBindings(s.dialog, c).map(({ disabledReason: _r, ...b }) => b)),
    })),
    { title: 'any text field', hint: TEXT_KEYS },
  ];
}

/** The editing keys of every text field (keys/text-edit.ts). */
const TEXT_KEYS = 'ctrl-u clear to the start · ctrl-k to the end · ctrl-w a word · home/end · ←/→';

function reason(r: string | undefined): Pick<Binding, 'disabledReason'> {
  return r ? { disabledReason: r } : {};
}
