/**
 * `@asyncio-ts/http-status`: check the HTTP status of many URLs concurrently —
 * `getStatus`, `checkStatus`, `checkMany` and the `http-status` command —
 * speaking HTTP/1.1 itself over asyncio-ts streams.
 */
export { getStatus } from "./get-status.js";
export { checkStatus } from "./check-status.js";
export { checkMany } from "./check-many.js";
export { HttpStatusError, ERROR_CODES } from "./errors.js";
export type { ErrorCode } from "./errors.js";
export { DEFAULT_FAIL_ON } from "./fail-on.js";
export type { CheckOptions } from "./options.js";
export type { StatusResult } from "./status-result.js";
