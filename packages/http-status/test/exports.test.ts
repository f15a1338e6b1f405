// The public entry names its exports one by one: CONTRACT §3 plus documented extras.
import * as httpStatus from "@asyncio-ts/http-status";
import { describe, expect, it } from "vitest";

describe("exports", () => {
  it("@asyncio-ts/http-status exports CONTRACT §3's names and the documented extras, nothing else", () => {
    const contract = ["getStatus", "checkStatus", "checkMany"];
    const extras = ["HttpStatusError", "ERROR_CODES", "DEFAULT_FAIL_ON"];
    expect(Object.keys(httpStatus).sort()).toEqual([...contract, ...extras].sort());
  });

  it("lists exactly CONTRACT §4's error codes", () => {
    expect([...httpStatus.ERROR_CODES].sort()).toEqual(
      ["INVALID_URL", "DNS", "REFUSED", "RESET", "TIMEOUT", "TLS", "BAD_RESPONSE", "TOO_LARGE", "REDIRECT_LOOP", "TOO_MANY_REDIRECTS", "UNSUPPORTED_SCHEME"].sort(),
    );
    expect(httpStatus.DEFAULT_FAIL_ON).toEqual(["error", "4xx", "5xx"]);
  });

  it("HttpStatusError sets name and is recognised by brand", () => {
    const error = new httpStatus.HttpStatusError("DNS", "no such host", "http://x.invalid/");
    expect(error).toMatchObject({ name: "HttpStatusError", code: "DNS", url: "http://x.invalid/" });
    expect(error).toBeInstanceOf(Error);
    const foreign = Object.create({ [Symbol.for("asyncio-ts.HttpStatusError")]: true }) as object;
    expect(foreign instanceof httpStatus.HttpStatusError).toBe(true);
  });
});
