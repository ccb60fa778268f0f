/**
 * The HTTP/2 transport against Node's own client (nghttp2): headers as the
 * client compressed them (Huffman, dynamic table), flow control both ways,
 * resets, ping; and HPACK's Huffman decoding against RFC 7541's examples.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { connect, constants, type ClientHttp2Session } from "node:http2";
import { connect as tcpConnect, createServer, type Server, type Socket } from "node:net";
import { frameHeader, H2Connection, type H2Stream } from "./h2.ts";
import { encodeHeaders, huffmanDecode, HpackDecoder, HpackError } from "./hpack.ts";

const RESPONSE = encodeHeaders([
  [":status", "200"],
  ["content-type", "application/octet-stream"],
]);

let server: Server;
let url: string;
const closed: number[] = [];

/** test routes: /echo-headers answers the request headers as JSON; /size/N answers N bytes; /count answers the request body length */
function route(stream: H2Stream, headers: Map<string, string>): void {
  const path = headers.get(":path") ?? "";
  let received = 0;
  stream.events = {
    data: (chunk) => (received += chunk.length),
    end: () => {
      stream.respond(RESPONSE);
      if (path === "/echo-headers") stream.write(Buffer.from(JSON.stringify(Object.fromEntries(headers))));
      else if (path.startsWith("/size/")) stream.write(Buffer.alloc(Number(path.slice(6)), 7));
      else if (path === "/count") stream.write(Buffer.from(String(received)));
      if (path !== "/hang") stream.end(encodeHeaders([["x-done", "yes"]]));
    },
    close: () => closed.push(stream.id),
  };
}

before(async () => {
  server = createServer((socket) => new H2Connection(socket, route));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});

after(() => server.close());

function request(session: ClientHttp2Session, path: string, extra: Record<string, string> = {}, body?: Buffer) {
  return new Promise<{ body: Buffer; trailers: Record<string, unknown>; status: unknown }>((resolve, reject) => {
    const req = session.request({ [constants.HTTP2_HEADER_METHOD]: "POST", [constants.HTTP2_HEADER_PATH]: path, ...extra });
    const parts: Buffer[] = [];
    let status: unknown;
    let trailers: Record<string, unknown> = {};
    req.on("response", (h) => (status = h[":status"]));
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("trailers", (t) => (trailers = t));
    req.on("error", reject);
    req.on("close", () => resolve({ body: Buffer.concat(parts), trailers, status }));
    req.end(body);
  });
}

async function withSession<T>(fn: (s: ClientHttp2Session) => Promise<T>): Promise<T> {
  const s = connect(url);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

test("h2: request headers arrive as sent, through Huffman strings and the dynamic table, and trailers follow the data", async () => {
  await withSession(async (s) => {
    const extra = { "x-text": "Hello, World! ~`^|{}<>\\ ünïcode-free?", "user-agent": "grpc-go/1.60.1", "grpc-timeout": "4999807u" };
    for (let i = 0; i < 3; i++) {
      // the second and third requests reuse the client's dynamic table entries
      const r = await request(s, "/echo-headers", { ...extra, "x-round": String(i) });
      const got = JSON.parse(r.body.toString()) as Record<string, string>;
      assert.equal(r.status, 200);
      assert.equal(got[":path"], "/echo-headers");
      assert.equal(got[":method"], "POST");
      // Node sends each char as one byte (latin1), so bytes above 0x7f went through the Huffman table too
      assert.equal(got["x-text"], extra["x-text"]);
      assert.equal(got["user-agent"], extra["user-agent"]);
      assert.equal(got["x-round"], String(i));
      assert.equal(r.trailers["x-done"], "yes");
    }
  });
});

test("h2: a response larger than the client's window and a request larger than ours arrive whole", async () => {
  await withSession(async (s) => {
    // Node's client window is 65535 bytes: the server must wait for its window updates
    const big = await request(s, "/size/3000000");
    assert.equal(big.body.length, 3_000_000);
    assert.ok(big.body.every((b) => b === 7));
    const sent = await request(s, "/count", {}, Buffer.alloc(6 << 20, 1));
    assert.equal(sent.body.toString(), String(6 << 20));
  });
});

/** a frame as raw bytes */
function rawFrame(type: number, flags: number, id: number, payload: Buffer): Buffer {
  return Buffer.concat([frameHeader(type, flags, id, payload.length), payload]);
}

/** DATA bytes and whether the stream ended, as frames arrive on a raw socket */
function watchFrames(socket: Socket): { data: number; ended: boolean } {
  const seen = { data: 0, ended: false };
  let buf = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 9 && buf.length >= 9 + buf.readUIntBE(0, 3)) {
      const len = buf.readUIntBE(0, 3);
      if (buf[3] === 0) seen.data += len;
      if (buf[3] === 1 && buf[4] & 1) seen.ended = true;
      buf = buf.subarray(9 + len);
    }
  });
  return seen;
}

test("h2: the server sends no more than the client's windows allow, and resumes on WINDOW_UPDATE", async () => {
  const addr = server.address();
  const socket = tcpConnect(typeof addr === "object" && addr ? addr.port : 0, "127.0.0.1");
  await new Promise((r) => socket.once("connect", r));
  const seen = watchFrames(socket);
  const headers = encodeHeaders([[":method", "POST"], [":scheme", "http"], [":path", "/size/200000"]]);
  socket.write(Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1"), rawFrame(4, 0, 0, Buffer.alloc(0)), rawFrame(1, 5, 1, headers)]));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(seen.data, 65535, "the default windows hold the rest back");
  const more = Buffer.alloc(4);
  more.writeUInt32BE(200000, 0);
  socket.write(Buffer.concat([rawFrame(8, 0, 0, more), rawFrame(8, 0, 1, more)]));
  for (let i = 0; i < 100 && !seen.ended; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen.data, 200000);
  assert.ok(seen.ended, "trailers end the stream");
  socket.destroy();
});

test("h2: many concurrent streams on one connection", async () => {
  await withSession(async (s) => {
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => request(s, `/size/${i}`)));
    rs.forEach((r, i) => assert.equal(r.body.length, i));
  });
});

test("h2: a client reset closes the stream on the server; ping is answered", async () => {
  await withSession(async (s) => {
    const req = s.request({ [constants.HTTP2_HEADER_METHOD]: "POST", [constants.HTTP2_HEADER_PATH]: "/hang" });
    req.end();
    await new Promise((r) => req.once("response", r));
    const id = req.id as number;
    req.close(constants.NGHTTP2_CANCEL);
    for (let i = 0; i < 100 && !closed.includes(id); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(closed.includes(id), `stream ${id} closed on the server`);
    const rtt = await new Promise<number>((resolve, reject) => s.ping((err, ms) => (err ? reject(err) : resolve(ms))));
    assert.ok(rtt >= 0);
  });
});

test("hpack: Huffman strings of RFC 7541 C.4, and invalid padding or EOS refused", () => {
  assert.equal(huffmanDecode(Buffer.from("f1e3c2e5f23a6ba0ab90f4ff", "hex")), "www.example.com");
  assert.equal(huffmanDecode(Buffer.from("a8eb10649cbf", "hex")), "no-cache");
  assert.equal(huffmanDecode(Buffer.from("25a849e95ba97d7f", "hex")), "custom-key");
  assert.equal(huffmanDecode(Buffer.from("25a849e95bb8e8b4bf", "hex")), "custom-value");
  // '0' is 00000: three zero bits of padding are not a prefix of EOS
  assert.throws(() => huffmanDecode(Buffer.from([0x00])), HpackError);
  // 32 one bits hold the 30-bit EOS code
  assert.throws(() => huffmanDecode(Buffer.from([0xff, 0xff, 0xff, 0xff])), HpackError);
});

test("hpack: RFC 7541 C.3 requests share the dynamic table; indexes beyond it are refused", () => {
  const d = new HpackDecoder();
  const first = d.decode(Buffer.from("828684410f7777772e6578616d706c652e636f6d", "hex"));
  assert.deepEqual([...first], [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]]);
  const second = d.decode(Buffer.from("828684be58086e6f2d6361636865", "hex"));
  assert.equal(second.get(":authority"), "www.example.com");
  assert.equal(second.get("cache-control"), "no-cache");
  assert.throws(() => d.decode(Buffer.from([0x80 | 70])), HpackError);
});
