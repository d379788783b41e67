/** Pane-local UI state (focus, cursors, scroll, dialogs) as a typed reducer; none of it is journaled. */
import { useReducer } from 'react';
import type { PaneKind } from './layout/layout.js';

/** A modal dialog; while one is open it gets every key. */
export type Dialog =
  | { kind: 'skip'; step: string; title: string; input: string }
  | { kind: 'gate'; phase: string; title: string; decision?: 'go' | 'no-go'; input: string }
  | { kind: 'note'; input: string }
  | { kind: 'filter'; input: string }
  | { kind: 'rollback'; level: string }
  | { kind: 'abort'; level: string }
  | { kind: 'quit'; busy: boolean };

export interface UiState {
  focus: PaneKind;
  help: boolean;
  dialog?: Dialog;
  cursor: Record<PaneKind, number>;
  hostCursor: number;
  /** Timeline: lines scrolled up from the tail; 0 follows. */
  offset: number;
  filter: string;
  /** A short message at the bottom (why an action is unavailable); cleared by the next key. */
  flash?: string;
}

export type UiAction =
  | { type: 'focus'; pane: PaneKind }
  | { type: 'help'; open: boolean }
  | { type: 'dialog'; dialog?: Dialog }
  | { type: 'input'; input: string }
  | { type: 'move'; pane: PaneKind; by: number; max: number }
  | { type: 'moveHost'; by: number; max: number }
  | { type: 'scroll'; by: number; max: number }
  | { type: 'follow' }
  | { type: 'filter'; filter: string }
  | { type: 'flash'; text?: string };

/** The starting UI state. */
export function initialUi(focus: PaneKind = 'checklist'): UiState {
  return { focus, help: false, cursor: { health: 0, checklist: 0, timeline: 0, rollback: 0 }, hostCursor: 0, offset: 0, filter: '' };
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The UI reducer. */
export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'focus':
      return { ...s, focus: a.pane };
    case 'help':
      return { ...s, help: a.open };
    case 'dialog':
      return { ...s, dialog: a.dialog };
    case 'input':
      return s.dialog && 'input' in s.dialog ? { ...s, dialog: { ...s.dialog, input: a.input } } : s;
    case 'move':
      return { ...s, cursor: { ...s.cursor, [a.pane]: clamp(s.cursor[a.pane] + a.by, 0, Math.max(0, a.max - 1)) } };
    case 'moveHost':
      return { ...s, hostCursor: clamp(s.hostCursor + a.by, 0, Math.max(0, a.max - 1)) };
    case 'scroll':
      return { ...s, offset: clamp(s.offset + a.by, 0, Math.max(0, a.max)) };
    case 'follow':
      return { ...s, offset: 0 };
    case 'filter':
      return { ...s, filter: a.filter, offset: 0 };
    case 'flash':
      return a.text === s.flash ? s : { ...s, flash: a.text };
  }
}

/** The hook panes and the App share. */
export function useConsoleUi(focus?: PaneKind) {
  return useReducer(uiReducer, focus, initialUi);
}
