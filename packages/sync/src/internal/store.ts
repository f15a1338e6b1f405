/** How a queue keeps its items (CPython's `_init`/`_put`/`_get`). */
export interface Store<T> {
  readonly length: number;
  add(item: T): void;
  take(): T;
  clear(): void;
  toArray(): T[];
}
