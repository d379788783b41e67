/** Key bindings as data: the footer, the `?` overlay and dispatch all read the same tables. */

/** One action on a key (or several keys). */
export interface Binding {
  /** Key names as `keyName` produces them: "enter", "tab", "shift-tab", "up", "x", "R", "?". */
  keys: string[];
  /** What it does, in a few words (footer and help). */
  description: string;
  /** Runs the action; gets the key that was pressed, for bindings on several keys (replay's 0-9). */
  handler: (key: string) => void;
  /** When set, the action is unavailable and pressing the key shows this reason. */
  disabledReason?: string;
  /** Destructive: needs a second keystroke, and does not exist in replay. */
  dangerous?: boolean;
  /** Changes the session (runs, ticks, decides, notes): does not exist in replay either. */
  acts?: boolean;
  /** Shown in the `?` overlay only, not the footer (navigation keys). */
  helpOnly?: boolean;
  /** Shown first in the footer: what to press while a trigger fires or a rollback runs. */
  urgent?: boolean;
}

/** The subset of Ink's key flags that `keyName` reads. */
export interface InkKey {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** Normalizes Ink's (input, key) into one name. */
export function keyName(input: string, key: InkKey): string {
  const mod = (name: string) => `${key.ctrl ? 'ctrl-' : ''}${key.shift ? 'shift-' : ''}${name}`;
  if (key.upArrow) return mod('up');
  if (key.downArrow) return mod('down');
  if (key.leftArrow) return mod('left');
  if (key.rightArrow) return mod('right');
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  // A line feed is Enter too: typed before the terminal is in raw mode, Enter arrives as \n (ICRNL).
  if (key.return || input === '\n' || input === '\r') return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl-${input}`;
  return input;
}

/**
 * One read of the terminal as the keys it holds: several printable characters, Enters and
 * Backspaces arrive together in a paste, a held key or over a slow link, and each counts.
 * Escape sequences and modified keys are one key, as Ink parsed them.
 */
export function splitKeys(input: string, key: InkKey): [string, InkKey][] {
  if (input.length <= 1 || input.startsWith('\x1b') || key.ctrl || key.meta) return [[input, key]];
  const out: [string, InkKey][] = [];
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') out.push(['', { return: true }]);
    else if (ch === '\x7f' || ch === '\b') out.push(['', { backspace: true }]);
    else if (ch === '\t') out.push(['', { tab: true }]);
    // Ctrl-U, Ctrl-W and the like inside a read (Ink splits out only Backspace and Ctrl-C): Ctrl and the letter, as Ink names a lone one.
    else if (ch >= '\x01' && ch <= '\x1a') out.push([String.fromCharCode(ch.charCodeAt(0) + 96), { ctrl: true }]);
    else if (ch >= ' ') out.push([ch, {}]);
  }
  return out;
}

/** Bindings that exist in this mode: read-only mode strips every dangerous or acting one, in this one place. */
export function available(bindings: Binding[], readOnly: boolean): Binding[] {
  return readOnly ? bindings.filter((b) => !b.dangerous && !b.acts) : bindings;
}

/** Finds the binding for a key, if any. */
export function match(bindings: Binding[], key: string): Binding | undefined {
  return bindings.find((b) => b.keys.includes(key));
}

/** Pretty key labels for the footer and help ("enter" → "⏎", "shift-tab" → "⇧⇥"). */
export function keyLabel(k: string): string {
  const labels: Record<string, string> = {
    enter: 'enter',
    esc: 'esc',
    tab: 'tab',
    'shift-tab': 'S-tab',
    up: '↑',
    down: '↓',
    left: '←',
    right: '→',
    'shift-left': 'S-←',
    'shift-right': 'S-→',
    pageup: 'pgup',
    pagedown: 'pgdn',
    ' ': 'space',
  };
  return labels[k] ?? k;
}
