// White-box: parseTarget (the URL to connect to and the request target).
import { describe, expect, it } from "vitest";
import { CheckFailure } from "../../src/errors.js";
import { isReservedInvalid, parseTarget, type Target } from "../../src/url.js";

function target(text: string, base?: string): Target {
  const t = parseTarget(text, base);
  if (t instanceof CheckFailure) throw new Error(`${t.code}: ${t.message}`);
  return t;
}

function failure(text: string): string {
  const t = parseTarget(text);
  return t instanceof CheckFailure ? t.code : "none";
}

describe("parseTarget", () => {
  it("uses the scheme's default port, or the explicit one", () => {
    expect(target("http://example.com")).toMatchObject({ scheme: "http", host: "example.com", port: 80, hostHeader: "example.com", path: "/" });
    expect(target("https://example.com/")).toMatchObject({ scheme: "https", port: 443, hostHeader: "example.com" });
    expect(target("http://example.com:8080/x")).toMatchObject({ port: 8080, hostHeader: "example.com:8080" });
    expect(target("https://example.com:443/")).toMatchObject({ port: 443, hostHeader: "example.com" });
    expect(target("HTTP://EXAMPLE.com/A")).toMatchObject({ scheme: "http", host: "example.com", path: "/A" });
  });

  it("keeps path and query, drops the fragment", () => {
    expect(target("http://h/a/b?x=1&y=%20z#frag").path).toBe("/a/b?x=1&y=%20z");
    expect(target("http://h?q").path).toBe("/?q");
    expect(target("http://h/a b").path).toBe("/a%20b");
    expect(target("http://h/a#f").href).toBe("http://h/a");
  });

  it("takes IPv6 literals: brackets in Host, none to connect", () => {
    expect(target("http://[::1]:8080/")).toMatchObject({ host: "::1", port: 8080, hostHeader: "[::1]:8080" });
    expect(target("https://[2001:db8::1]/")).toMatchObject({ host: "2001:db8::1", port: 443, hostHeader: "[2001:db8::1]" });
  });

  it("turns IDN host names into punycode", () => {
    expect(target("http://bücher.example/straße")).toMatchObject({ host: "xn--bcher-kva.example", hostHeader: "xn--bcher-kva.example", path: "/stra%C3%9Fe" });
    expect(target("https://日本語.jp:8443/")).toMatchObject({ host: "xn--wgv71a119e.jp", hostHeader: "xn--wgv71a119e.jp:8443" });
  });

  it("makes Basic authorization from user info", () => {
    expect(target("http://user:p%40ss@h/").authorization).toBe(`Basic ${Buffer.from("user:p@ss").toString("base64")}`);
    expect(target("http://h/").authorization).toBeNull();
  });

  it("reports invalid URLs and unsupported schemes", () => {
    expect(failure("")).toBe("INVALID_URL");
    expect(failure("example.com")).toBe("INVALID_URL");
    expect(failure("example.com:8080/x")).toBe("INVALID_URL");
    expect(failure("http://")).toBe("INVALID_URL");
    expect(failure("http:example.com")).toBe("INVALID_URL");
    expect(failure("http://exa mple.com/")).toBe("INVALID_URL");
    expect(failure("http://h:99999/")).toBe("INVALID_URL");
    expect(failure("http://h:0/")).toBe("INVALID_URL");
    expect(failure("http://[::1/")).toBe("INVALID_URL");
    expect(failure("ftp://example.com/")).toBe("UNSUPPORTED_SCHEME");
    expect(failure("mailto:a@b.c")).toBe("UNSUPPORTED_SCHEME");
    expect(failure("file:///etc/passwd")).toBe("UNSUPPORTED_SCHEME");
    const hint = parseTarget("example.com") as CheckFailure;
    expect(hint.message).toContain('did you mean "http://example.com"');
    // The hint repairs what is there rather than putting "http://" in front of it.
    const hints: [string, string][] = [
      ["http:/127.0.0.1/x", "http://127.0.0.1/x"],
      ["https:example.com", "https://example.com"],
      ["HTTP:\\\\h/", "HTTP://h/"],
      ["//example.com/a", "http://example.com/a"],
      ["localhost:8080/", "http://localhost:8080/"],
    ];
    for (const [input, suggested] of hints) expect((parseTarget(input) as CheckFailure).message, input).toContain(`did you mean "${suggested}"?`);
  });

  it("resolves redirect locations against the current URL", () => {
    expect(target("/new?a=1", "http://h:81/old/x").href).toBe("http://h:81/new?a=1");
    expect(target("y", "http://h/old/x").href).toBe("http://h/old/y");
    expect(target("//other/p", "https://h/").href).toBe("https://other/p");
    expect(target("https://else/", "http://h/").href).toBe("https://else/");
    expect((parseTarget("ftp://x/", "http://h/") as CheckFailure).code).toBe("UNSUPPORTED_SCHEME");
  });

  it("knows that .invalid never resolves (RFC 6761)", () => {
    expect(isReservedInvalid("nonexistent.invalid")).toBe(true);
    expect(isReservedInvalid("A.INVALID.")).toBe(true);
    expect(isReservedInvalid("invalid.example")).toBe(false);
  });
});
