/**
 * The reader's buffer: a queue of chunks instead of one growing bytearray, so
 * that appending never copies and taking a whole chunk hands it out as is.
 *
 * Invariants: `#chunks[#head..]` hold the data; the first of them starts at
 * `#offset`; `length` is the total number of bytes held; no chunk is empty.
 * Searches remember where they stopped (`#scanIndex`, `#scanBase`: the chunk
 * and its position from the first byte), so a search that resumes further on
 * (a readline waiting for more data) does not walk the chunks from the start
 * again; anything that consumes or puts back resets that.
 */
export class ByteBuffer {
  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;
  #scanIndex = 0;
  #scanBase = 0;
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
    this.#resetScan();
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#offset = 0;
    this.length = 0;
    this.#resetScan();
  }

  /** The index of `sep` at or after `from` (absolute, from the first byte), or -1. */
  indexOf(sep: Uint8Array, from: number): number {
    const chunks = this.#chunks;
    if (from < 0) from = 0;
    // Start at the chunk holding `from`: from the last search's chunk if that is not past it.
    let i = this.#head;
    let base = 0;
    if (this.#scanBase <= from && this.#scanIndex < chunks.length) {
      i = this.#scanIndex;
      base = this.#scanBase;
    }
    for (; i < chunks.length; i++) {
      const start = i === this.#head ? this.#offset : 0;
      const size = chunks[i].length - start;
      if (from < base + size) break;
      base += size;
    }
    if (i === chunks.length) return -1;
    this.#scanIndex = i;
    this.#scanBase = base;
    if (sep.length === 1) {
      const byte = sep[0];
      for (let pos = from; i < chunks.length; i++) {
        const chunk = chunks[i];
        const start = i === this.#head ? this.#offset : 0;
        const found = chunk.indexOf(byte, start + (pos - base));
        if (found !== -1) return base + found - start;
        base += chunk.length - start;
        pos = base;
        this.#scanIndex = i + 1;
        this.#scanBase = base;
      }
      return -1;
    }
    // A longer separator: inside each chunk, then across each boundary (no joining of chunks).
    for (let pos = from; i < chunks.length; i++) {
      const chunk = chunks[i];
      const start = i === this.#head ? this.#offset : 0;
      // A match inside the chunk comes before any that starts in its last sep.length - 1 bytes and crosses into the next.
      const found = chunk.indexOf(sep, start + (pos - base));
      if (found !== -1) return base + found - start;
      const size = chunk.length - start;
      for (let at = Math.max(pos, base + size - (sep.length - 1)); at < base + size; at++) {
        if (this.#matchesAt(sep, i, start + (at - base))) return at;
      }
      base += size;
      pos = base;
    }
    return -1;
  }

  /** True if the bytes from chunk `index`, position `pos` in it, on across later chunks, are `sep`. */
  #matchesAt(sep: Uint8Array, index: number, pos: number): boolean {
    const chunks = this.#chunks;
    let chunk = chunks[index];
    for (let k = 0; k < sep.length; k++, pos++) {
      while (pos >= chunk.length) {
        if (++index >= chunks.length) return false;
        chunk = chunks[index];
        pos = 0;
      }
      if (chunk[pos] !== sep[k]) return false;
    }
    return true;
  }

  /** True if the bytes at `at` are `sep`. */
  startsWith(sep: Uint8Array, at: number): boolean {
    if (at < 0 || at + sep.length > this.length) return false;
    let i = this.#head;
    let pos = this.#offset + at;
    while (pos >= this.#chunks[i].length) {
      pos -= this.#chunks[i].length;
      i++;
    }
    return this.#matchesAt(sep, i, pos);
  }

  /**
   * Removes and returns the first `n` bytes (`n <= length`). A whole first
   * chunk is returned without copying; anything else is a copy (so a small
   * result never keeps a big chunk alive).
   */
  take(n: number): Buffer {
    if (n <= 0) return EMPTY;
    this.#resetScan();
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

  /** A copy of the first `n` bytes (`n <= length`), left in the buffer. */
  peek(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let copied = 0;
    for (let i = this.#head; copied < n; i++) {
      const chunk = this.#chunks[i];
      const start = i === this.#head ? this.#offset : 0;
      const want = Math.min(n - copied, chunk.length - start);
      chunk.copy(out, copied, start, start + want);
      copied += want;
    }
    return out;
  }

  /** Removes `n` bytes without returning them. */
  skip(n: number): void {
    n = Math.min(n, this.length);
    if (n <= 0) return;
    this.#resetScan();
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

  #resetScan(): void {
    this.#scanIndex = this.#head;
    this.#scanBase = 0;
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
    this.#resetScan();
  }
}

export const EMPTY: Buffer = Buffer.alloc(0);
