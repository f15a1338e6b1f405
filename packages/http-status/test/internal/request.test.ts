// White-box: the request head we send.
import { describe, expect, it } from "vitest";
import { buildRequest } from "../../src/request.js";
import { parseTarget, type Target } from "../../src/url.js";

describe("buildRequest", () => {
  it("sends HTTP/1.1 with Host, User-Agent, Accept and Connection: close", () => {
    const target = parseTarget("http://example.com:8080/a?b=1#c") as Target;
    expect(buildRequest(target, "HEAD", "ua/1")).toBe(
      "HEAD /a?b=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: ua/1\r\nAccept: */*\r\nConnection: close\r\n\r\n",
    );
  });

  it("puts IPv6 literals in brackets and IDN names in punycode, and adds Authorization for user info", () => {
    expect(buildRequest(parseTarget("http://[::1]/") as Target, "GET", "x")).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: \[::1\]\r\n/);
    expect(buildRequest(parseTarget("https://bücher.example/") as Target, "HEAD", "x")).toContain("Host: xn--bcher-kva.example\r\n");
    expect(buildRequest(parseTarget("http://u:p@h/") as Target, "HEAD", "x")).toContain("Authorization: Basic dTpw\r\n");
  });
});
