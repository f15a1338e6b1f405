// How futures show their result in repr (CPython 3.12 base_futures._future_repr_info,
// which uses reprlib.repr). Expected strings printed by ~/.pyenv/versions/3.12.1/bin/python3:
//   f = loop.create_future(); f.set_result(v); repr(f)
import { describe, expect, it } from "vitest";
import { EventLoop, VirtualClock } from "@asyncio-ts/loop";
import { Future } from "@asyncio-ts/tasks";

function reprOf(value: unknown): string {
  const loop = new EventLoop({ clock: new VirtualClock() });
  const f = new Future<unknown>({ loop });
  f.setResult(value);
  const text = String(f);
  loop.close();
  return text;
}

describe("Future result reprs", () => {
  // 'abc' -> "<Future finished result='abc'>"; 42 -> '<Future finished result=42>'; True -> result=True (JS: true)
  it("short strings are quoted, numbers and booleans shown as they are", () => {
    expect(reprOf("abc")).toBe("<Future finished result='abc'>");
    expect(reprOf(42)).toBe("<Future finished result=42>");
    expect(reprOf(true)).toBe("<Future finished result=true>");
  });

  // f.set_exception(ValueError('x')) -> "<Future finished exception=ValueError('x')>"
  it("an exception is Name('message')", () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const f = new Future<unknown>({ loop });
    const e = new Error("x");
    e.name = "ValueError";
    f.setException(e);
    expect(String(f)).toBe("<Future finished exception=ValueError('x')>");
    f.exception();
    loop.close();
  });
});

describe("result reprs of long strings, arrays, objects and strings with quotes follow reprlib", () => {
  // CPython 3.12 (reprlib.repr: maxstring=30, maxlist=6, Python's quoting):
  //   'a'*100          -> "<Future finished result='aaaaaaaaaaaa...aaaaaaaaaaaaa'>"
  //   list(range(100)) -> '<Future finished result=[0, 1, 2, 3, 4, 5, ...]>'
  //   [1, 2]           -> '<Future finished result=[1, 2]>'
  //   {'a': 1}         -> "<Future finished result={'a': 1}>"
  //   "it's"           -> '<Future finished result="it\'s">'   (double quotes when the text has a quote)
  // Before the fix, ours: result='aaaa…(57 a's)...', result=0,1,2,…,99 (unbounded, no brackets),
  // result=1,2, result=a Object, result='it's'. reprValue (loop/src/describe.ts,
  // used by Future._reprInfo through tasks/src/format.ts) quotes strings up to 60
  // characters and falls back to describeValue, i.e. Array.prototype.toString and
  // "a <Constructor>" for plain objects. (None vs undefined/null is JavaScript's
  // own rendering and is not part of this block.)
  it("follows reprlib", () => {
    expect(reprOf("a".repeat(100))).toBe("<Future finished result='aaaaaaaaaaaa...aaaaaaaaaaaaa'>");
    expect(reprOf(Array.from({ length: 100 }, (_, i) => i))).toBe("<Future finished result=[0, 1, 2, 3, 4, 5, ...]>");
    expect(reprOf([1, 2])).toBe("<Future finished result=[1, 2]>");
    expect(reprOf({ a: 1 })).toBe("<Future finished result={'a': 1}>");
    expect(reprOf("it's")).toBe(`<Future finished result="it's">`);
  });
});
