/** The :authority repair rewrites exactly the literal :authority values and keeps every other byte. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AuthorityRewriter, rewriteHeaderBlock } from "./authority.ts";

// 0x82 = indexed :method GET; 0x41 = literal with indexing, name :authority; 0x8c = Huffman string of 12 bytes
const huffmanAuthority = Buffer.concat([Buffer.from([0x41, 0x8c]), Buffer.alloc(12, 0xaa)]);
// 0x04 = literal without indexing, name :path (index 4); raw "/x"
const path = Buffer.from([0x04, 0x02, 0x2f, 0x78]);
// 0x01 = literal without indexing, name :authority, raw "/tmp/s"
const rawAuthority = Buffer.from([0x01, 0x06, ...Buffer.from("/tmp/s")]);
// 0x20 = dynamic table size update to 0; 0xbe = indexed dynamic entry 62
const sizeUpdate = Buffer.from([0x20]);
const dynamicRef = Buffer.from([0xbe]);

test("literal :authority values become \"k\"; other fields pass unchanged", () => {
  const block = Buffer.concat([sizeUpdate, Buffer.from([0x82]), huffmanAuthority, path, rawAuthority, dynamicRef]);
  const out = rewriteHeaderBlock(block);
  const expected = Buffer.concat([sizeUpdate, Buffer.from([0x82]), Buffer.from([0x41, 0x01, 0x6b]), path, Buffer.from([0x01, 0x01, 0x6b]), dynamicRef]);
  assert.deepEqual(out, expected);
});

test("a block without :authority is returned as is", () => {
  const block = Buffer.concat([Buffer.from([0x82]), path]);
  assert.equal(rewriteHeaderBlock(block), block);
});

test("HEADERS split over CONTINUATION and chunk borders are reassembled", () => {
  const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  const frag1 = Buffer.concat([Buffer.from([0x82]), huffmanAuthority.subarray(0, 5)]);
  const frag2 = huffmanAuthority.subarray(5);
  const frame = (type: number, flags: number, payload: Buffer) => {
    const h = Buffer.alloc(9);
    h.writeUIntBE(payload.length, 0, 3);
    h[3] = type;
    h[4] = flags;
    h.writeUInt32BE(1, 5);
    return Buffer.concat([h, payload]);
  };
  const wire = Buffer.concat([preface, frame(1, 0x1, frag1), frame(9, 0x4, frag2), frame(0, 0x1, Buffer.from("data"))]);
  const r = new AuthorityRewriter();
  const out = Buffer.concat([...r.feed(wire.subarray(0, 30)), ...r.feed(wire.subarray(30))]);
  const block = Buffer.from([0x82, 0x41, 0x01, 0x6b]);
  assert.deepEqual(out, Buffer.concat([preface, frame(1, 0x5, block), frame(0, 0x1, Buffer.from("data"))]));
});
