/**
 * What `acquireDisposable()` resolves to: proof that the caller holds a Lock,
 * Semaphore or Condition, released by `release()` or when a `using` /
 * `await using` declaration goes out of scope. Releasing twice is a no-op, so a
 * `using` block that also releases early cannot over-release.
 *
 * ```ts
 * {
 *   using _held = await lock.acquireDisposable();
 *   // ... critical section; released here even if it throws or is cancelled
 * }
 * ```
 */
export interface Acquisition extends Disposable, AsyncDisposable {
  /** Releases the primitive (once; later calls do nothing). */
  release(): void;
  /** True once released. */
  readonly released: boolean;
}

/** @internal */
export class AcquisitionImpl implements Acquisition {
  #release: (() => void) | null;
  constructor(release: () => void) {
    this.#release = release;
  }
  get released(): boolean {
    return this.#release === null;
  }
  release(): void {
    const release = this.#release;
    if (release === null) return;
    this.#release = null;
    release();
  }
  [Symbol.dispose](): void {
    this.release();
  }
  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}
