/** What a pane's component and bindings get: the model, the state, the UI state, its size. */
import type { Dispatch } from 'react';
import type { SessionState } from '../core/state.js';
import { refusal, type Intent, type Refusal } from '../core/refusal.js';
import type { ConsoleModel } from './model.js';
import type { UiAction, UiState } from './use-console-ui.js';

export interface PaneContext {
  model: ConsoleModel;
  state: SessionState;
  ui: UiState;
  dispatch: Dispatch<UiAction>;
  /** The clock quantized to the second, so a pane's memo holds between seconds. */
  now: number;
  /** The clock itself: a countdown must read the same second as the status bar's. */
  exactNow: number;
  /** Inner size (inside the border). */
  width: number;
  height: number;
  color: boolean;
}

/** Shows why an intent was refused, or nothing when it was accepted. */
export function report(ctx: PaneContext, refusal: string | undefined): void {
  ctx.dispatch({ type: 'flash', text: refusal });
}

/** Why the session would refuse `intent` now: core's rules, with the live session's facts; a binding's disabled reason. */
export function refused(ctx: PaneContext, intent: Intent): Refusal {
  return refusal(ctx.state, intent, ctx.now, ctx.model.session?.facts());
}
