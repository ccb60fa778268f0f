// Checks the DER primitives against known encodings (RFC 5280 / X.690 examples).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as der from "./asn1.ts";

test("object identifiers encode and decode, including multi-byte arcs", () => {
  assert.equal(der.oid("1.2.840.113549.1.1.11").toString("hex"), "06092a864886f70d01010b");
  assert.equal(der.oid("2.5.29.17").toString("hex"), "0603551d11");
  assert.equal(der.oidToString(der.decode(der.oid("1.3.6.1.5.5.7.3.2")).content), "1.3.6.1.5.5.7.3.2");
  assert.throws(() => der.oid("1"), /bad object identifier 1/);
});

test("lengths use the long form past 127 bytes and decode back", () => {
  const big = der.octetString(Buffer.alloc(300, 7));
  assert.equal(big.subarray(0, 4).toString("hex"), "0482012c");
  const node = der.decode(big);
  assert.equal(node.content.length, 300);
  assert.throws(() => der.decode(big.subarray(0, 10)), /runs past the end/);
});

test("integers are minimal and positive; named bits are DER-trimmed", () => {
  assert.equal(der.integer(0).toString("hex"), "020100");
  assert.equal(der.integer(128).toString("hex"), "02020080");
  assert.equal(der.integerFromBytes(Buffer.from([0, 0, 5])).toString("hex"), "020105");
  // digitalSignature | keyEncipherment | keyCertSign = bits 0, 2, 5 → 0xa4 with 2 unused bits
  assert.equal(der.namedBits([0, 2, 5]).toString("hex"), "030202a4");
  assert.equal(der.namedBits([0, 2]).toString("hex"), "030205a0");
});

test("times switch from UTCTime to GeneralizedTime in 2050", () => {
  assert.equal(der.time(new Date("2036-01-02T03:04:05Z")).toString("latin1").slice(2), "360102030405Z");
  assert.equal(der.time(new Date("2036-01-02T03:04:05Z"))[0], 0x17);
  const late = der.time(new Date("2051-06-07T08:09:10Z"));
  assert.equal(late[0], 0x18);
  assert.equal(late.toString("latin1").slice(2), "20510607080910Z");
});

test("PEM round trip", () => {
  const bytes = Buffer.from("hello der world, long enough to wrap past sixty-four base64 characters per line");
  const pem = der.toPEM(bytes, "TEST");
  assert.match(pem, /^-----BEGIN TEST-----\n[A-Za-z0-9+/=]{64}\n/);
  assert.deepEqual(der.fromPEM(pem, "TEST"), [bytes]);
});
