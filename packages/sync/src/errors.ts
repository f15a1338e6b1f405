import { brand } from "@asyncio-ts/loop/lowlevel";

/** Raised by `getNowait()` on an empty queue (asyncio's `QueueEmpty`). */
export class QueueEmpty extends Error {
  static {
    brand(this, "QueueEmpty");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueEmpty";
  }
}

/** Raised by `putNowait()` on a full queue (asyncio's `QueueFull`). */
export class QueueFull extends Error {
  static {
    brand(this, "QueueFull");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueFull";
  }
}

/** Raised by puts and gets on a queue after `shutdown()` (asyncio 3.13's `QueueShutDown`). */
export class QueueShutDown extends Error {
  static {
    brand(this, "QueueShutDown");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueShutDown";
  }
}

/** Raised by `Barrier.wait()` when the barrier is aborted or reset (asyncio's `BrokenBarrierError`). */
export class BrokenBarrierError extends Error {
  static {
    brand(this, "BrokenBarrierError");
  }
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
    this.name = "BrokenBarrierError";
  }
}
