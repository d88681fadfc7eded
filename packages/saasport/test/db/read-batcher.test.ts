import { describe, expect, it } from "vitest";
import { batchedReads } from "../../src/db/read-batcher.js";

/** A fake reader that records each read and finds every id that does not start with "missing". */
function recordingReader() {
  const reads: string[][] = [];
  const read = async (ids: readonly string[]) => {
    reads.push([...ids]);
    if (ids.includes("broken")) throw new Error("read failed");
    return ids.filter((id) => !id.startsWith("missing")).map((id) => ({ id, name: `row ${id}` }));
  };
  return { reads, read };
}

describe("batchedReads (subscriptions read for the requests of one turn)", () => {
  it("reads the ids of one event-loop turn together and gives each request the rows of its own ids", async () => {
    const { reads, read } = recordingReader();
    const lookup = batchedReads(read);
    const answers = await Promise.all([lookup(["a", "b"]), lookup(["b", "missing-1"]), lookup(["c", "c"])]);
    expect(reads).toEqual([["a", "b", "missing-1", "c"]]);
    expect(answers.map((rows) => rows.map((row) => row.id))).toEqual([["a", "b"], ["b"], ["c"]]);
  });

  it("reads ids of later turns in later reads and answers no ids without reading", async () => {
    const { reads, read } = recordingReader();
    const lookup = batchedReads(read);
    await lookup(["a"]);
    expect(await lookup([])).toEqual([]);
    await lookup(["b"]);
    expect(reads).toEqual([["a"], ["b"]]);
  });

  it("fails every request that shared a failed read", async () => {
    const { read } = recordingReader();
    const lookup = batchedReads(read);
    const results = await Promise.allSettled([lookup(["a"]), lookup(["broken"])]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect((await lookup(["a"])).map((row) => row.id)).toEqual(["a"]);
  });
});
