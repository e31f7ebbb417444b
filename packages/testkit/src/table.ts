/**
 * An insertion-ordered table with O(1) lookup by key, O(1) amortised delete, and cached
 * filtered views, so list endpoints page over an array slice without copying per request.
 */
export class Table<K, V> {
  private readonly map = new Map<K, V>();
  private order: V[] = [];
  private holes = 0;
  private views = new Map<string, V[]>();
  /** Bumped on every change that may affect a filtered view. */
  version = 0;

  constructor(private readonly keyOf: (v: V) => K) {}

  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  insert(value: V): void {
    const key = this.keyOf(value);
    if (this.map.has(key)) throw new Error(`duplicate key ${String(key)}`);
    this.map.set(key, value);
    this.order.push(value);
    this.touch();
  }
  delete(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.holes++;
    this.touch();
    return v;
  }
  /** Call after mutating a record in a way a filtered view may depend on. */
  touch(): void {
    this.version++;
    if (this.views.size) this.views = new Map();
  }
  clear(): void {
    this.map.clear();
    this.order = [];
    this.holes = 0;
    this.touch();
  }
  /** All values in insertion order. The returned array must not be mutated. */
  values(): readonly V[] {
    if (this.holes > 0) {
      this.order = this.order.filter((v) => this.map.get(this.keyOf(v)) === v);
      this.holes = 0;
    }
    return this.order;
  }
  /** A cached filtered view (cache dropped on the next change). */
  view(name: string, pred: (v: V) => boolean): readonly V[] {
    const cached = this.views.get(name);
    if (cached) return cached;
    const arr = this.values().filter(pred);
    this.views.set(name, arr);
    return arr;
  }
}
