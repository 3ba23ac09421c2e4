/**
 * Legacy id -> new id for every order of a file, in two typed arrays rather
 * than a Map: 16 bytes an entry and nothing for the garbage collector to
 * trace (a Map of 1,000,000 numbers is about 60 MB of objects that every full
 * collection walks). Orders are read by id, so entries arrive in ascending
 * order and are appended; a lookup is a binary search. An id that arrives out
 * of order (a re-import interleaves known and new orders) goes to a Map.
 * Sized for the file's orders up front, so it never holds a copy while it
 * grows; a set of ids (`keysOnly`) keeps no values at all.
 */
export class IdMap {
  private keys: Float64Array;
  private values: Float64Array | null;
  private size = 0;
  private readonly unordered = new Map<number, number>();

  constructor(capacity: number, opts: { keysOnly?: boolean } = {}) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.values = opts.keysOnly ? null : new Float64Array(this.keys.length);
  }

  set(key: number, value: number): void {
    if (this.size === 0 || key > this.keys[this.size - 1]!) {
      if (this.size === this.keys.length) this.grow();
      this.keys[this.size] = key;
      if (this.values) this.values[this.size] = value;
      this.size++;
      return;
    }
    const at = this.indexOf(key);
    if (at < 0) this.unordered.set(key, value);
    else if (this.values) this.values[at] = value;
  }

  get(key: number): number | undefined {
    const at = this.indexOf(key);
    return at < 0 ? this.unordered.get(key) : (this.values?.[at] ?? 0);
  }

  has(key: number): boolean {
    return this.indexOf(key) >= 0 || this.unordered.has(key);
  }

  private indexOf(key: number): number {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const k = this.keys[mid]!;
      if (k === key) return mid;
      if (k < key) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    if (this.values) {
      const values = new Float64Array(keys.length);
      values.set(this.values);
      this.values = values;
    }
  }
}
