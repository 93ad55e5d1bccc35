/**
 * A bounded FIFO: keeps the last `capacity` items pushed, dropping the oldest
 * (memory never grows past `capacity` items). Used for the hashrate history
 * and the blocks an engine found.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  /**
   * @param capacity items kept, integer >= 1
   * @throws RangeError when capacity is not an integer >= 1
   */
  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity is ${capacity}; it must be an integer >= 1`);
    this.items = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** items held, at most capacity */
  get size(): number {
    return this.count;
  }

  /** appends `item`, dropping the oldest one when full */
  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** the items held, oldest first (a copy) */
  toArray(): T[] {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    return Array.from({ length: this.count }, (_, i) => this.items[(start + i) % this.capacity] as T);
  }
}
