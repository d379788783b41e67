/** The replay's transport keys, as bindings: the footer and the `?` help list them like any other key. */
import type { Binding } from '../ui/keys/bindings.js';
import type { Player } from './player.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Play/pause, seek, speed, step, decisions, jump: none of them can change the session. */
export function transportBindings(p: Player): Binding[] {
  return [
    { keys: [' '], description: p.clock.playing ? 'pause' : 'play', handler: () => p.togglePlay() },
    { keys: ['left', 'right'], description: '-/+10s', handler: (k) => p.seekBy(k === 'left' ? -10_000 : 10_000) },
    {
      keys: ['shift-left', 'shift-right'],
      description: '-/+1 min',
      handler: (k) => p.seekBy(k === 'shift-left' ? -60_000 : 60_000),
      helpOnly: true,
    },
    { keys: ['[', ']'], description: `speed ${p.clock.speed}x`, handler: (k) => p.changeSpeed(k === '[' ? -1 : 1) },
    { keys: ['.', ','], description: 'one event forward / back', handler: (k) => p.stepEvent(k === '.' ? 1 : -1), helpOnly: true },
    { keys: ['n', 'p'], description: 'next/prev decision', handler: (k) => p.jumpDecision(k === 'n' ? 1 : -1) },
    { keys: DIGITS, description: 'jump to 0%-90%', handler: (k) => p.seekFraction(Number(k) / 10), helpOnly: true },
  ];
}
