/** Growable typed arrays: a million-event index costs bytes per event, not objects per event. */

type Typed = Float64Array | Uint32Array | Uint8Array;
type TypedCtor<T extends Typed> = { new (n: number): T };

/** A column of numbers that grows by doubling. */
export class Column<T extends Typed> {
  private data: T;
  /** How many values were pushed. */
  length = 0;

  constructor(
    private readonly ctor: TypedCtor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(Math.max(16, capacity));
  }

  /** Appends a value. */
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.ctor(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** Overwrites value `i` (i < length): the live session learns where an event went only once the journal wrote it. */
  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** Grows the storage to hold `n` values without doubling past it (when the count can be guessed). */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new this.ctor(n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /** Value `i` (undefined past the end is the caller's bug; no bounds check on the hot path). */
  at(i: number): number {
    return this.data[i];
  }

  /** The first index whose value is > v, over a column sorted ascending (binary search). */
  upperBound(v: number, hi = this.length): number {
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose value is >= v, over a column sorted ascending. */
  lowerBound(v: number, hi = this.length): number {
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bytes held (for the benchmark's memory figures). */
  get bytes(): number {
    return this.data.byteLength;
  }
}

/** A Float64 column (byte offsets, times). */
export const f64 = (capacity?: number) => new Column(Float64Array, capacity);
/** A Uint32 column (lengths, line numbers, event indices). */
export const u32 = (capacity?: number) => new Column(Uint32Array, capacity);
/** A Uint8 column (kinds). */
export const u8 = (capacity?: number) => new Column(Uint8Array, capacity);
