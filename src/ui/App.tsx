/** The console: status bar, the layout's panes, footer; dialogs and help over them. One key handler. */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Box, useInput, useStdout } from 'ink';
import { available, keyName, match, splitKeys, type Binding, type InkKey } from './keys/bindings.js';
import { chooseLayout, placeCells, PANE_KINDS, type Layout, type PaneKind } from './layout/layout.js';
import type { ConsoleModel } from './model.js';
import type { PaneContext } from './pane-context.js';
import { timelineTitle } from './panes/timeline/title.js';
import { PANES } from './registry.js';
import { LinesView } from './components/LinesView.js';
import { PaneFrame } from './components/PaneFrame.js';
import { Overlay, overlayBox, type OverlayView } from './components/Overlay.js';
import { footerLine, helpLines, statusLine } from './status.js';
import { dialogView } from './dialogs.js';
import { closesOnOtherKeys, dialogBindings, dialogHelp, dialogHint, typedInput, typeInto, type DialogContext } from './dialog-keys.js';
import { rollbackInProgress, selectRollback } from '../core/select-rollback.js';
import { pendingOf, refusal } from '../core/refusal.js';
import { SETTLE_MS } from './panes/checklist/settle.js';
import { uiReducer, useConsoleUi, type Dialog, type UiAction, type UiState } from './use-console-ui.js';

export interface AppProps {
  model: ConsoleModel;
  /** A layout name or path from --layout; default: war-room, or stacked when narrow. */
  layout?: string;
  color: boolean;
  /** Fixed size (tests); default: the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  /** How long Enter waits on an item the cursor moved to by itself (tests shorten it); default SETTLE_MS. */
  settleMs?: number;
}

export function App({ model, layout: asked, color, size, settleMs = SETTLE_MS }: AppProps) {
  const state = useSyncExternalStore(model.subscribe, model.getState);
  // Replay's clock and progress bar move without a new state: redraw when the model says so.
  useSyncExternalStore(model.subscribe, model.frameVersion ?? noVersion);
  const [ui, rawDispatch] = useConsoleUi(firstPane(asked));
  // Keys can arrive faster than React renders (typing, pastes, tmux send-keys): the key handler
  // reads the UI state through this ref, advanced synchronously with every action.
  const uiRef = useRef<UiState>(ui);
  const dispatch = useMemo(
    () => (a: UiAction) => {
      uiRef.current = uiReducer(uiRef.current, a);
      rawDispatch(a);
    },
    [rawDispatch],
  );
  const term = useTerminalSize(size);
  // Read the clock while rendering (replay's is virtual); a once-a-second tick keeps T+ and
  // countdowns moving when no event arrives. One render per published state, not two.
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [model]);
  const now = model.now();
  const paneNow = Math.floor(now / 1000) * 1000;

  // The item the cursor moved to by itself is drawn selected now (Ink wrote this frame before
  // layout effects run): Enter on it may act once the operator had time to read it.
  const moved = ui.moved;
  useLayoutEffect(() => {
    if (moved && moved.readyAt === undefined) dispatch({ type: 'drawn', cursor: moved.cursor, readyAt: performance.now() + settleMs });
  }, [moved]);
  // Then the footer shows Enter available again without waiting for the next event or second.
  useEffect(() => {
    if (moved?.readyAt === undefined) return;
    const t = setTimeout(() => tick((n) => n + 1), Math.max(0, moved.readyAt - performance.now()) + 1);
    return () => clearTimeout(t);
  }, [moved?.readyAt]);

  // A new recommendation preselects its level in the rollback pane (R then opens exactly that one).
  const rec = state.rollback.recommended;
  useEffect(() => {
    const levels = state.session?.runbook.rollback?.levels ?? [];
    const i = rec ? levels.findIndex((l) => l.id === rec.level) : -1;
    if (i >= 0) dispatch({ type: 'move', pane: 'rollback', by: i - uiRef.current.cursor.rollback, max: levels.length });
  }, [rec?.t, rec?.level]);

  const layout: Layout = useMemo(() => chooseLayout(asked, term.columns), [asked, term.columns < 120]);
  const extra = model.extraStatus?.(term.columns);
  const banner = model.banner?.(term.columns);
  // The frame fills the terminal: status bar on the first line, footer on the last (Ink draws a
  // frame of exactly the terminal's height in place, without a trailing newline).
  const screenRows = term.rows;
  const gridHeight = Math.max(4, screenRows - 2 - (extra ? 1 : 0) - (banner ? 1 : 0));
  const placed = placeCells(layout, term.columns, gridHeight);
  const present = placed.map((c) => c.pane);
  const focus: PaneKind = present.includes(ui.focus) ? ui.focus : present[0];
  // Zoomed, the focused pane takes the whole grid (the others keep their cells for their bindings' sizes).
  const cells = ui.zoom ? [{ pane: focus, x: 0, y: 0, width: term.columns, height: gridHeight }] : placed;

  const ctxOf = (pane: PaneKind, u: UiState = ui, st = state): PaneContext => {
    const cell = cells.find((c) => c.pane === pane) ?? placed.find((c) => c.pane === pane)!;
    // Panes show time to the second: a clock quantized to it lets their memos hold between seconds.
    return {
      model,
      state: st,
      ui: u,
      dispatch,
      now: paneNow,
      exactNow: now,
      width: Math.max(1, cell.width - 2),
      height: Math.max(1, cell.height - 2),
      color,
    };
  };
  const paneBindings = available(PANES[focus].bindings(ctxOf(focus)), model.readOnly);
  const global = globalBindings(model, present, focus, dispatch, paneNow, ui.zoom);
  // The demo's first-run hint, open until a key closes it (that key does nothing else).
  const [hintOpen, setHintOpen] = useState(Boolean(model.hint));
  const hintRef = useRef(hintOpen);
  // The open overlay's scroll range, from the last frame: the key handler scrolls within it.
  const overlayRange = useRef({ max: 0, page: 1 });

  // Keys that arrive in one read (a paste, a held Backspace, typing over a slow link) are handled one by one.
  useInput((input, key) => {
    for (const [i, k] of splitKeys(input, key)) onKey(i, k);
  });

  function onKey(input: string, key: InkKey): void {
    const k = keyName(input, key);
    const u = uiRef.current;
    if (hintRef.current) {
      hintRef.current = false;
      setHintOpen(false);
      return model.hint?.dismissed();
    }
    const modal = model.modal?.();
    if (modal) return modal.key(k, input);
    if (u.help) return scrollOverlay(k, true) ? undefined : dispatch({ type: 'help', open: false });
    if (u.dialog) return onDialogKey(u.dialog, k, input);
    if (u.flash) dispatch({ type: 'flash' });
    // Bindings from the latest UI and session state, not from the last render.
    const f = present.includes(u.focus) ? u.focus : present[0];
    const fresh = available(PANES[f].bindings(ctxOf(f, uiRef.current, model.getState())), model.readOnly);
    const b = match(fresh, k) ?? match(available(globalBindings(model, present, f, dispatch, paneNow, u.zoom), model.readOnly), k);
    if (!b) return;
    if (b.disabledReason) return dispatch({ type: 'flash', text: `${b.description}: ${b.disabledReason}` });
    b.handler(k);
  }

  /** The dialog's binding table, bound to the latest session state. */
  const dialogCtx = (st = state): DialogContext => ({
    state: st,
    now: model.now(),
    ...(model.session ? { facts: model.session.facts() } : {}),
    set: (dialog) => dispatch({ type: 'dialog', dialog }),
    submit: (d) => submitDialog(d),
  });

  function onDialogKey(d: Dialog, k: string, raw: string): void {
    if (uiRef.current.flash) dispatch({ type: 'flash' });
    const b = match(available(dialogBindings(d, dialogCtx(model.getState())), model.readOnly), k);
    if (b?.disabledReason) return dispatch({ type: 'flash', text: b.disabledReason });
    if (b) return b.handler(k);
    const typed = typeInto(d, k, raw);
    if (typed) return dispatch({ type: 'dialog', dialog: typed });
    // j, k, Home and End scroll only a dialog without a text field (in one, they are text or move the cursor).
    if (scrollOverlay(k, typedInput(d) === undefined)) return;
    if (closesOnOtherKeys(d)) dispatch({ type: 'dialog' });
  }

  /** Scrolls an overlay taller than the screen; false when the key does not scroll it. */
  function scrollOverlay(k: string, letters: boolean): boolean {
    const { max, page } = overlayRange.current;
    const by: Record<string, number> = { up: -1, down: 1, pageup: -page, pagedown: page };
    if (letters) Object.assign(by, { k: -1, j: 1, home: -Infinity, end: Infinity });
    if (max === 0 || by[k] === undefined) return false;
    dispatch({ type: 'overlayScroll', by: by[k], max });
    return true;
  }

  function submitDialog(dd: Dialog): void {
    dispatch({ type: 'dialog' });
    const s = model.session;
    const flash = (text: string | undefined) => dispatch({ type: 'flash', text });
    if (dd.kind === 'filter') return dispatch({ type: 'filter', filter: dd.input.trim() });
    if (dd.kind === 'quit') return model.onQuit();
    if (!s) return;
    if (dd.kind === 'skip') flash(s.skip(dd.step, dd.input));
    else if (dd.kind === 'note') flash(s.note(dd.input));
    else if (dd.kind === 'gate' && dd.decision) flash(s.decideGate(dd.phase, dd.decision, dd.input));
    else if (dd.kind === 'judge' && dd.decision) flash(s.decideJudge(dd.decision, dd.input));
    else if (dd.kind === 'rollback') flash(s.confirmRollback(dd.level));
    else if (dd.kind === 'abort') flash(s.abortRollback());
  }

  const rows = groupRows(cells);
  const view: OverlayView | undefined = ui.help
    ? {
        title: 'Keys (any key closes)',
        lines: helpLines(
          [
            ...PANE_KINDS.filter((p) => present.includes(p)).map((p) => ({ title: PANES[p].title, bindings: PANES[p].bindings(ctxOf(p)) })),
            { title: 'Everywhere', bindings: global },
          ],
          model.readOnly,
          Math.min(100, term.columns - 8),
          dialogHelp(dialogCtx(), model.readOnly),
        ),
        hint: '',
        danger: false,
      }
    : ui.dialog
      ? dialogView(
          ui.dialog,
          state,
          dialogHint(available(dialogBindings(ui.dialog, dialogCtx()), model.readOnly)),
          model.session?.store.notRecording,
          term.columns - 8,
        )
      : hintOpen && model.hint
        ? { title: model.hint.title, lines: model.hint.lines.map((text) => [{ text }]), hint: 'any key closes this', danger: false }
        : undefined;
  // The model's own prompt (the follower's approval) goes over everything else.
  const shown = model.modal?.()?.view ?? view;
  let overlay = shown && overlayBox(shown, term.columns, screenRows, ui.overlayScroll, color);
  // Taller than the screen, the help says how to scroll it (other keys still close it).
  if (overlay && ui.help && overlay.maxScroll > 0)
    overlay = overlayBox(
      { ...view!, title: 'Keys (any key closes) but ↑↓ j k pgup pgdn home end, which scroll' },
      term.columns,
      screenRows,
      ui.overlayScroll,
      color,
    );
  overlayRange.current = { max: overlay?.maxScroll ?? 0, page: Math.max(1, (overlay?.page ?? 1) - 1) };

  return (
    <Box flexDirection="column" width={term.columns} height={screenRows}>
      <LinesView
        lines={[
          statusLine({
            state,
            now,
            notRecording: model.session?.store.notRecording,
            ending: model.session?.facts().ending,
            journalPath: model.journalPath,
            connections: model.connections(),
            metricsSource: model.metricsSource,
            readOnly: model.readOnly,
            mark: model.statusMark?.(),
            width: term.columns,
            color,
          }),
        ]}
      />
      {banner ? <LinesView lines={[banner]} /> : null}
      {extra ? <LinesView lines={[extra]} /> : null}
      {rows.map((row, i) => (
        <Box key={i} flexDirection="row" height={row[0].height}>
          {row.map((c) => {
            const spec = PANES[c.pane];
            return (
              <PaneFrame
                key={c.pane}
                title={`${spec.key} ${spec.title}${c.pane === 'timeline' ? timelineTitle(ui) : ''}${ui.zoom ? ' [zoomed: z restores]' : ''}`}
                focused={c.pane === focus}
                width={c.width}
                height={c.height}
                color={color}
              >
                <spec.Component ctx={ctxOf(c.pane)} />
              </PaneFrame>
            );
          })}
        </Box>
      ))}
      <LinesView
        lines={[
          footerLine(
            paneBindings,
            global.filter((g) => !paneBindings.some((b) => b.keys.some((k) => g.keys.includes(k)))),
            model.readOnly,
            term.columns,
            color,
            ui.flash ?? (state.session === undefined ? 'waiting for the session to start…' : undefined),
          ),
        ]}
      />
      {overlay ? <Overlay box={overlay} /> : null}
    </Box>
  );
}

function globalBindings(
  model: ConsoleModel,
  present: PaneKind[],
  focus: PaneKind,
  dispatch: ReturnType<typeof useConsoleUi>[1],
  now: number,
  zoomed: boolean,
): Binding[] {
  const i = present.indexOf(focus);
  const go = (p: PaneKind) => () => dispatch({ type: 'focus', pane: p });
  const st = model.getState();
  const running = rollbackInProgress(st);
  const rec = running ? undefined : selectRollback(st, now).recommended?.level;
  // The model's own keys win (replay's 0-9 jump); a pane whose digit is taken is still one Tab away.
  const extra = model.extraBindings?.() ?? [];
  const taken = new Set(extra.flatMap((b) => b.keys));
  return [
    { keys: ['tab'], description: 'next pane', handler: go(present[(i + 1) % present.length]), helpOnly: true },
    { keys: ['shift-tab'], description: 'previous pane', handler: go(present[(i - 1 + present.length) % present.length]), helpOnly: true },
    ...present
      .filter((p) => !taken.has(PANES[p].key))
      .map((p) => ({ keys: [PANES[p].key], description: `focus ${PANES[p].title.toLowerCase()}`, handler: go(p), helpOnly: true })),
    ...extra,
    // From any pane, R opens the recommended level's confirmation (the rollback pane's own R opens the selected one):
    // rolling back is two deliberate keys, R then Y, wherever the operator is looking.
    // When it matters the footer offers it, whichever pane has focus: R for a recommendation, c for a countdown, x for a running rollback.
    ...(rec
      ? [
          {
            keys: ['R'],
            description: `roll back ${rec}…`,
            dangerous: true,
            urgent: true,
            disabledReason: refusal(st, { kind: 'rollback', level: rec }, now, model.session?.facts()),
            handler: () => dispatch({ type: 'dialog', dialog: { kind: 'rollback', level: rec } }),
          },
        ]
      : [
          {
            // Nothing recommended: R outside the rollback pane says where a rollback is chosen, instead of doing nothing.
            keys: ['R'],
            description: 'roll back: choose the level in the rollback pane',
            acts: true,
            helpOnly: true,
            handler: () =>
              dispatch({ type: 'flash', text: 'no trigger recommends a rollback: focus the rollback pane (4), pick a level, press R' }),
          },
        ]),
    ...(st.rollback.recommended?.countdownUntil !== undefined
      ? [
          {
            keys: ['c'],
            description: 'cancel auto rollback',
            acts: true,
            urgent: true,
            disabledReason: refusal(st, { kind: 'dismiss' }, now, model.session?.facts()),
            handler: () => dispatch({ type: 'flash', text: model.session?.dismissRecommendation() }),
          },
        ]
      : []),
    // After the countdown's c (which wins while one runs): esc or c takes back the operator's pending approval request.
    ...(pendingOf(st)
      ? [
          {
            keys: ['esc', 'c'],
            description: 'withdraw approval request',
            acts: true,
            urgent: true,
            disabledReason: refusal(st, { kind: 'withdraw' }, now, model.session?.facts()),
            handler: () => dispatch({ type: 'flash', text: model.session?.withdrawApproval() }),
          },
        ]
      : []),
    ...(running
      ? [
          {
            keys: ['x'],
            description: 'abort rollback…',
            dangerous: true,
            urgent: true,
            disabledReason: refusal(st, { kind: 'abort-rollback' }, now, model.session?.facts()),
            handler: () => dispatch({ type: 'dialog', dialog: { kind: 'abort', level: st.rollback.run!.level } }),
          },
        ]
      : []),
    { keys: ['?'], description: 'help', handler: () => dispatch({ type: 'help', open: true }) },
    {
      keys: ['q', 'ctrl-c'],
      description: 'quit',
      handler: () =>
        model.session?.busy()
          ? dispatch({ type: 'dialog', dialog: { kind: 'quit', busy: true } })
          : model.readOnly
            ? model.onQuit()
            : dispatch({ type: 'dialog', dialog: { kind: 'quit', busy: false } }),
    },
    // Last in the footer: on a wide screen it shows, on a narrow one the help lists it.
    { keys: ['z'], description: zoomed ? 'unzoom' : 'zoom pane', handler: () => dispatch({ type: 'zoom' }) },
  ];
}

const noVersion = () => 0;

function firstPane(layout?: string): PaneKind {
  return layout === 'wall' ? 'health' : 'checklist';
}

function groupRows<T extends { y: number }>(cells: T[]): T[][] {
  const rows = new Map<number, T[]>();
  for (const c of cells) rows.set(c.y, [...(rows.get(c.y) ?? []), c]);
  return [...rows.values()];
}

function useTerminalSize(fixed?: { columns: number; rows: number }) {
  // A terminal's stream (Ink types it as any writable stream): columns and rows are absent on a pipe.
  const stdout = useStdout().stdout as NodeJS.WriteStream;
  const read = () => fixed ?? { columns: stdout.columns || 120, rows: stdout.rows || 40 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const on = () => setSize(read());
    stdout.on('resize', on);
    return () => void stdout.off('resize', on);
  }, [stdout, fixed]);
  return size;
}
