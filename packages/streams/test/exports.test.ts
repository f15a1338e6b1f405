// The public entry names its exports one by one: CONTRACT §3 plus documented extras.
import * as streams from "@asyncio-ts/streams";
import * as lowlevel from "@asyncio-ts/streams/lowlevel";
import { describe, expect, it } from "vitest";

describe("exports", () => {
  it("@asyncio-ts/streams exports CONTRACT §3's names (and ConnectionResetError), nothing else", () => {
    const contract = ["openConnection", "startServer", "openUnixConnection", "startUnixServer", "StreamReader", "StreamWriter", "Server", "IncompleteReadError", "LimitOverrunError"];
    expect(Object.keys(streams).sort()).toEqual([...contract, "ConnectionResetError"].sort());
  });

  it("@asyncio-ts/streams/lowlevel exports the transport/protocol layer", () => {
    expect(Object.keys(lowlevel).sort()).toEqual(
      ["createConnection", "createServer", "createUnixConnection", "createUnixServer", "SocketTransport", "StreamReaderProtocol", "FlowControlProtocol", "DEFAULT_LIMIT", "NodeStreamTransport", "trackResource", "untrackResource"].sort(),
    );
  });

  it("error classes set name and are recognised by brand", () => {
    const e1 = new streams.IncompleteReadError(Buffer.from("ab"), 5);
    const e2 = new streams.LimitOverrunError("x", 3);
    expect([e1.name, e2.name, new streams.ConnectionResetError().name]).toEqual(["IncompleteReadError", "LimitOverrunError", "ConnectionResetError"]);
    expect(e1).toBeInstanceOf(Error);
    // An object from another copy of the package carries the same Symbol.for brand.
    const foreign = Object.create({ [Symbol.for("asyncio-ts.IncompleteReadError")]: true }) as object;
    expect(foreign instanceof streams.IncompleteReadError).toBe(true);
  });
});
