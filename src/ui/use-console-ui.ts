/** Pane-local UI state (focus, cursors, scroll, dialogs) as a typed reducer; none of it is journaled. */
import { useReducer } from 'react';
import type { PaneKind } from './layout/layout.js';

/**
 * A modal dialog; while one is open it gets every key. A text field's `cursor` is a position in
 * its characters (code points); absent, it is at the end.
 */
export type Dialog =
  | { kind: 'skip'; step: string; title: string; input: string; cursor?: number }
  | { kind: 'gate'; phase: string; title: string; decision?: 'go' | 'no-go'; input: string; cursor?: number }
  /** The operator's decision on an inconclusive canary judgment. */
  | { kind: 'judge'; decision?: 'go' | 'no-go'; input: string; cursor?: number }
  | { kind: 'note'; input: string; cursor?: number }
  | { kind: 'filter'; input: string; cursor?: number }
  | { kind: 'rollback'; level: string }
  | { kind: 'abort'; level: string }
  | { kind: 'quit'; busy: boolean };

export interface UiState {
  focus: PaneKind;
  help: boolean;
  dialog?: Dialog;
  /** Lines the open dialog or help is scrolled by (when it is taller than the screen). */
  overlayScroll: number;
  /** The focused pane fills the screen (z toggles, like tmux's prefix-z). */
  zoom: boolean;
  cursor: Record<PaneKind, number>;
  hostCursor: number;
  /** Timeline: lines scrolled up from the tail; 0 follows. */
  offset: number;
  /** Timeline: how many lines its view had when `offset` was set; lines told since push a scrolled window up with them (see `timelineOffset`). */
  offsetAt?: number;
  filter: string;
  /** Timeline: every event (raw) rather than the story. */
  raw: boolean;
  /** A short message at the bottom (why an action is unavailable); cleared by the next key. */
  flash?: string;
  /**
   * Checklist: the cursor moved on by itself (a step started) to item `cursor`. Enter on it waits
   * until `readyAt` (performance.now()), stamped when the item was first drawn selected.
   */
  moved?: { cursor: number; readyAt?: number };
}

export type UiAction =
  | { type: 'focus'; pane: PaneKind }
  | { type: 'help'; open: boolean }
  | { type: 'dialog'; dialog?: Dialog }
  | { type: 'overlayScroll'; by: number; max: number }
  | { type: 'zoom' }
  /** `auto`: the console moved the cursor on (a step started), not the operator. */
  | { type: 'move'; pane: PaneKind; by: number; max: number; auto?: boolean }
  /** The item the cursor moved to by itself was drawn selected: Enter on it may act from `readyAt`. */
  | { type: 'drawn'; cursor: number; readyAt: number }
  | { type: 'moveHost'; by: number; max: number }
  /** `total`: the lines the timeline's view has now. */
  | { type: 'scroll'; by: number; max: number; total: number }
  | { type: 'follow' }
  | { type: 'filter'; filter: string }
  /** Timeline: the other view, scrolled to `offset` (the same moment at the bottom). */
  | { type: 'raw'; offset: number; total: number }
  | { type: 'flash'; text?: string };

/** The starting UI state. */
export function initialUi(focus: PaneKind = 'checklist'): UiState {
  return {
    focus,
    help: false,
    overlayScroll: 0,
    zoom: false,
    cursor: { health: 0, checklist: 0, timeline: 0, rollback: 0 },
    hostCursor: 0,
    offset: 0,
    filter: '',
    raw: false,
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The UI reducer. */
export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'focus':
      return { ...s, focus: a.pane };
    case 'help':
      return { ...s, help: a.open, overlayScroll: 0 };
    case 'dialog':
      // Typing replaces the open dialog: its scroll stays; opening, closing or another kind starts at the top.
      return { ...s, dialog: a.dialog, overlayScroll: a.dialog && s.dialog?.kind === a.dialog.kind ? s.overlayScroll : 0 };
    case 'overlayScroll':
      return { ...s, overlayScroll: clamp(s.overlayScroll + a.by, 0, Math.max(0, a.max)) };
    case 'zoom':
      return { ...s, zoom: !s.zoom };
    case 'move': {
      const to = clamp(s.cursor[a.pane] + a.by, 0, Math.max(0, a.max - 1));
      const next = { ...s, cursor: { ...s.cursor, [a.pane]: to } };
      if (a.pane !== 'checklist') return next;
      // Moved by hand, the operator chose the item: no wait. Moved by itself, it is new to them.
      const { moved: _, ...rest } = next;
      return a.auto && to !== s.cursor.checklist ? { ...rest, moved: { cursor: to } } : rest;
    }
    case 'drawn':
      return s.moved?.cursor === a.cursor && s.moved.readyAt === undefined ? { ...s, moved: { cursor: a.cursor, readyAt: a.readyAt } } : s;
    case 'moveHost':
      return { ...s, hostCursor: clamp(s.hostCursor + a.by, 0, Math.max(0, a.max - 1)) };
    case 'scroll':
      return { ...s, offset: clamp(timelineOffset(s, a.total) + a.by, 0, Math.max(0, a.max)), offsetAt: a.total };
    case 'follow':
      return { ...s, offset: 0 };
    case 'filter':
      return { ...s, filter: a.filter, offset: 0 };
    case 'raw':
      return { ...s, raw: !s.raw, offset: Math.max(0, a.offset), offsetAt: a.total };
    case 'flash':
      return a.text === s.flash ? s : { ...s, flash: a.text };
  }
}

/** The hook panes and the App share. */
export function useConsoleUi(focus?: PaneKind) {
  return useReducer(uiReducer, focus, initialUi);
}

/**
 * The timeline's offset from its newest line now: a window scrolled up stays on the lines it showed
 * while new ones are told below it (without a filter; a filtered view counts matches only, so it
 * keeps its offset from the newest match).
 */
export function timelineOffset(ui: Pick<UiState, 'offset' | 'offsetAt' | 'filter'>, total: number): number {
  if (ui.offset === 0 || ui.filter || ui.offsetAt === undefined) return ui.offset;
  return ui.offset + Math.max(0, total - ui.offsetAt);
}
