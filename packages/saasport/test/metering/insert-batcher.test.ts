import { describe, expect, it } from "vitest";
import { batchedInserts } from "../../src/metering/insert-batcher.js";

/** A fake writer that records each write and "inserts" every row whose id does not start with "bad". */
function recordingWriter() {
  const writes: string[][] = [];
  const write = async (rows: readonly string[]) => {
    writes.push([...rows]);
    if (rows.some((row) => row.startsWith("bad")) && rows.length > 1) throw new Error("constraint failed");
    return new Set(rows.filter((row) => !row.startsWith("bad")));
  };
  return { writes, write };
}

describe("batchedInserts (group commit of accepted usage)", () => {
  it("writes the inserts of one event-loop turn together and answers each after the shared write", async () => {
    const { writes, write } = recordingWriter();
    const insert = batchedInserts(write);
    const answers = await Promise.all([insert(["a1", "a2"]), insert(["b1"]), insert(["c1", "c2", "c3"])]);
    expect(writes).toEqual([["a1", "a2", "b1", "c1", "c2", "c3"]]);
    for (const answer of answers) expect([...answer].sort()).toEqual(["a1", "a2", "b1", "c1", "c2", "c3"]);
  });

  it("writes inserts of later turns in later writes", async () => {
    const { writes, write } = recordingWriter();
    const insert = batchedInserts(write);
    await insert(["a"]);
    await insert(["b"]);
    expect(writes).toEqual([["a"], ["b"]]);
  });

  it("falls back to one write per request when the shared write fails, so one bad request fails alone", async () => {
    const { writes, write } = recordingWriter();
    const insert = batchedInserts(write);
    const results = await Promise.allSettled([insert(["a"]), insert(["bad", "x"]), insert(["c"])]);
    expect(writes[0]).toEqual(["a", "bad", "x", "c"]);
    expect(results[0]).toEqual({ status: "fulfilled", value: new Set(["a"]) });
    expect(results[1]?.status).toBe("rejected");
    expect(results[2]).toEqual({ status: "fulfilled", value: new Set(["c"]) });
  });
});
