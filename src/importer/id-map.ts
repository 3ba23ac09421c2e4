/**
 * Legacy id -> new id for every order of a file, in two typed arrays rather
 * than a Map: 16 bytes an entry and nothing for the garbage collector to
 * trace (a Map of 1,000,000 numbers is about 60 MB of objects that every full
 * collection walks). Orders are read by id, so entries arrive in ascending
 * order and are appended; a lookup is a binary search. An id that arrives out
 * of order (a re-import interleaves known and new orders) goes to a Map.
 */
export class IdMap {
  private keys = new Float64Array(1024);
  private values = new Float64Array(1024);
  private size = 0;
  private readonly unordered = new Map<number, number>();

  set(key: number, value: number): void {
    if (this.size === 0 || key > this.keys[this.size - 1]!) {
      if (this.size === this.keys.length) this.grow();
      this.keys[this.size] = key;
      this.values[this.size++] = value;
      return;
    }
    const at = this.indexOf(key);
    if (at >= 0) this.values[at] = value;
    else this.unordered.set(key, value);
  }

  get(key: number): number | undefined {
    const at = this.indexOf(key);
    return at >= 0 ? this.values[at] : this.unordered.get(key);
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
    const values = new Float64Array(this.values.length * 2);
    keys.set(this.keys);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}
