/**
 * The reader's buffer: a queue of chunks instead of one growing bytearray, so
 * that appending never copies and taking a whole chunk hands it out as is.
 *
 * Invariants: `#chunks[#head..]` hold the data; the first of them starts at
 * `#offset`; `length` is the total number of bytes held; no chunk is empty.
 */
export class ByteBuffer {
  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Puts `chunk` back in front (a cancelled read returning what it had taken). */
  unshift(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.#offset > 0) {
      this.#chunks[this.#head] = this.#chunks[this.#head].subarray(this.#offset);
      this.#offset = 0;
    }
    if (this.#head > 0) this.#chunks[--this.#head] = chunk;
    else this.#chunks.unshift(chunk);
    this.length += chunk.length;
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#offset = 0;
    this.length = 0;
  }

  /** The index of `sep` at or after `from` (absolute, from the first byte), or -1. */
  indexOf(sep: Uint8Array, from: number): number {
    if (sep.length > 1 && this.#chunks.length - this.#head > 1) this.#compact();
    let base = 0;
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i];
      const start = i === this.#head ? this.#offset : 0;
      const size = chunk.length - start;
      if (from < base + size) {
        const found = chunk.indexOf(sep.length === 1 ? sep[0] : sep, start + Math.max(0, from - base));
        if (found !== -1) return base + found - start;
      }
      base += size;
    }
    return -1;
  }

  /** True if the bytes at `at` are `sep`. */
  startsWith(sep: Uint8Array, at: number): boolean {
    if (at + sep.length > this.length) return false;
    return this.indexOf(sep, at) === at;
  }

  /** Removes and returns the first `n` bytes (`n <= length`). A whole first chunk is returned without copying. */
  take(n: number): Buffer {
    if (n <= 0) return EMPTY;
    const first = this.#chunks[this.#head];
    const available = first.length - this.#offset;
    if (n === available && this.#offset === 0) {
      this.#shift();
      this.length -= n;
      return first;
    }
    if (n <= available) {
      const out = Buffer.from(first.subarray(this.#offset, this.#offset + n));
      this.#offset += n;
      if (this.#offset === first.length) this.#shift();
      this.length -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let copied = 0;
    while (copied < n) {
      const chunk = this.#chunks[this.#head];
      const want = Math.min(n - copied, chunk.length - this.#offset);
      chunk.copy(out, copied, this.#offset, this.#offset + want);
      copied += want;
      this.#offset += want;
      if (this.#offset === chunk.length) this.#shift();
    }
    this.length -= n;
    return out;
  }

  /** Removes `n` bytes without returning them. */
  skip(n: number): void {
    n = Math.min(n, this.length);
    let left = n;
    while (left > 0) {
      const chunk = this.#chunks[this.#head];
      const want = Math.min(left, chunk.length - this.#offset);
      left -= want;
      this.#offset += want;
      if (this.#offset === chunk.length) this.#shift();
    }
    this.length -= n;
  }

  #shift(): void {
    this.#chunks[this.#head++] = EMPTY;
    this.#offset = 0;
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Joins everything into one chunk (for multi-byte separator searches across chunk edges). */
  #compact(): void {
    const all = this.take(this.length);
    this.clear();
    this.push(all);
  }
}

export const EMPTY: Buffer = Buffer.alloc(0);
