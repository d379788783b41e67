/** What a pane's component and bindings get: the model, the state, the UI state, its size. */
import type { Dispatch } from 'react';
import type { SessionState } from '../core/state.js';
import type { ConsoleModel } from './model.js';
import type { UiAction, UiState } from './use-console-ui.js';

export interface PaneContext {
  model: ConsoleModel;
  state: SessionState;
  ui: UiState;
  dispatch: Dispatch<UiAction>;
  now: number;
  /** Inner size (inside the border). */
  width: number;
  height: number;
  color: boolean;
}

/** Shows why an intent was refused, or nothing when it was accepted. */
export function report(ctx: PaneContext, refusal: string | undefined): void {
  ctx.dispatch({ type: 'flash', text: refusal });
}
