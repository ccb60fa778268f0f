// SPDY framing of the built-in crictl's exec client: SYN_STREAM header blocks
// must inflate (one zlib stream, sync-flushed) to the name/value block, data
// frames carry stream id, FIN and payload, and the reader splits a byte
// stream cut anywhere into the same frames.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { constants, createInflate } from "node:zlib";
import { dataFrame, FLAG_FIN, FrameReader, HeaderCompressor, headerBlock, SYN_STREAM, synStream } from "./spdy.ts";

function inflateAll(chunks: Buffer[]): Promise<Buffer[]> {
  const inflate = createInflate();
  const out: Buffer[] = [];
  return chunks.reduce<Promise<void>>((prev, c) => prev.then(() => new Promise<void>((resolve) => {
    const parts: Buffer[] = [];
    const onData = (d: Buffer): void => void parts.push(d);
    inflate.on("data", onData);
    inflate.write(c);
    inflate.flush(constants.Z_SYNC_FLUSH, () => {
      inflate.off("data", onData);
      out.push(Buffer.concat(parts));
      resolve();
    });
  })), Promise.resolve()).then(() => out);
}

test("header blocks of consecutive SYN_STREAMs inflate one by one to the name/value blocks", async () => {
  const z = new HeaderCompressor();
  const frames = [synStream(1, { streamtype: "error" }, z), synStream(3, { StreamType: "stdout" }, z)];
  const reader = new FrameReader();
  const parsed = reader.push(Buffer.concat(frames));
  assert.equal(parsed.length, 2);
  for (const f of parsed) assert.deepEqual(f.control && [f.type, f.flags], [SYN_STREAM, 0]);
  assert.equal(parsed[1]!.payload.readUInt32BE(0), 3, "stream id");
  const blocks = await inflateAll(parsed.map((f) => f.payload.subarray(10)));
  assert.deepEqual(blocks, [headerBlock({ streamtype: "error" }), headerBlock({ streamtype: "stdout" })]);
  assert.deepEqual(headerBlock({ A: "b" }), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0x61, 0, 0, 0, 1, 0x62]));
});

test("data frames round-trip through the reader however the bytes are cut", () => {
  const bytes = Buffer.concat([dataFrame(3, Buffer.from("hello")), dataFrame(5, Buffer.alloc(0), FLAG_FIN)]);
  const reader = new FrameReader();
  const frames = [...bytes].flatMap((b) => reader.push(Buffer.from([b])));
  assert.deepEqual(frames.map((f) => !f.control && [f.streamId, f.flags, f.payload.toString()]), [[3, 0, "hello"], [5, FLAG_FIN, ""]]);
});
