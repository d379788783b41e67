/** Heap tuning for replay: what is live stays small, but V8 would let garbage grow the heap to several times that. */
import v8 from 'node:v8';

/**
 * Caps how far V8 grows the old generation past what the last full collection found live (by
 * default up to 4x: indexing a million events keeps ~60 MB live yet reached 340 MB of RSS; at
 * 1.5x it stays near 250 MB, for a few percent more GC time). The heap controller reads this
 * flag at every collection, so setting it after start-up works; replay calls it, never the live console.
 */
export function capHeapGrowth(percent = 50): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
