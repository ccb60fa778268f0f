/** gRPC framing as etcd sends it: messages split across and packed into data chunks, and statuses with percent-encoded messages. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Code, frame, GrpcCallError, MessageReader, statusOf } from "./grpc.ts";

test("messages come out whole however the chunks cut them", () => {
  const wire = Buffer.concat([frame(Buffer.from("first")), frame(Buffer.alloc(0)), frame(Buffer.from("third message"))]);
  for (const size of [1, 2, 5, 7, wire.length]) {
    const reader = new MessageReader();
    const out: string[] = [];
    for (let i = 0; i < wire.length; i += size) out.push(...reader.push(wire.subarray(i, i + size)).map((m) => m.toString()));
    assert.deepEqual(out, ["first", "", "third message"], `chunks of ${size}`);
  }
});

test("a compressed message is refused by name", () => {
  const wire = frame(Buffer.from("x"));
  wire[0] = 1;
  assert.throws(() => new MessageReader().push(wire), /compressed message/);
});

test("status: OK is null, none is undefined, errors carry etcd's decoded message", () => {
  assert.equal(statusOf({ "grpc-status": "0" }), null);
  assert.equal(statusOf({}), undefined);
  const err = statusOf({ "grpc-status": "11", "grpc-message": "etcdserver: mvcc: required revision has been compacted%21" });
  assert.ok(err instanceof GrpcCallError);
  assert.equal(err.code, 11);
  assert.equal(err.message, "etcdserver: mvcc: required revision has been compacted!");
  assert.equal(statusOf({ "grpc-status": String(Code.UNAVAILABLE) })?.message, "grpc status 14");
});
