/**
 * HPACK (RFC 7541) for the gRPC transport: a full decoder (static and dynamic
 * table, Huffman strings), since clients compress request headers freely, and
 * the few fixed header blocks the server sends, encoded once without indexing
 * so the server keeps no encoder state.
 */

/** RFC 7541 Appendix A, index 1..61 */
const STATIC: readonly (readonly [string, string])[] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"], [":path", "/index.html"], [":scheme", "http"],
  [":scheme", "https"], [":status", "200"], [":status", "204"], [":status", "206"], [":status", "304"], [":status", "400"],
  [":status", "404"], [":status", "500"], ["accept-charset", ""], ["accept-encoding", "gzip, deflate"], ["accept-language", ""],
  ["accept-ranges", ""], ["accept", ""], ["access-control-allow-origin", ""], ["age", ""], ["allow", ""], ["authorization", ""],
  ["cache-control", ""], ["content-disposition", ""], ["content-encoding", ""], ["content-language", ""], ["content-length", ""],
  ["content-location", ""], ["content-range", ""], ["content-type", ""], ["cookie", ""], ["date", ""], ["etag", ""], ["expect", ""],
  ["expires", ""], ["from", ""], ["host", ""], ["if-match", ""], ["if-modified-since", ""], ["if-none-match", ""], ["if-range", ""],
  ["if-unmodified-since", ""], ["last-modified", ""], ["link", ""], ["location", ""], ["max-forwards", ""], ["proxy-authenticate", ""],
  ["proxy-authorization", ""], ["range", ""], ["referer", ""], ["refresh", ""], ["retry-after", ""], ["server", ""], ["set-cookie", ""],
  ["strict-transport-security", ""], ["transfer-encoding", ""], ["user-agent", ""], ["vary", ""], ["via", ""], ["www-authenticate", ""],
];

/**
 * Bit lengths of the Huffman code of each byte 0..255 and of EOS (256), RFC
 * 7541 Appendix B. The code is canonical: codes follow from the lengths
 * (shorter first, then by symbol).
 */
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];
const EOS = 256;

/** A decoding error: the connection must end with COMPRESSION_ERROR. */
export class HpackError extends Error {}

/** the Huffman decoding tree: node n has children child[2n] (bit 0) and child[2n+1] (bit 1); leaves hold -1 - symbol */
function buildTree(): Int32Array {
  const order = CODE_LENGTHS.map((len, sym) => ({ len, sym })).sort((a, b) => a.len - b.len || a.sym - b.sym);
  const child = new Int32Array(2 * 2 * order.length).fill(0);
  let nodes = 1;
  let code = 0;
  let prevLen = order[0].len;
  order.forEach(({ len, sym }, i) => {
    if (i > 0) code = (code + 1) * 2 ** (len - prevLen);
    prevLen = len;
    let node = 0;
    for (let bit = len - 1; bit >= 0; bit--) {
      const slot = 2 * node + (Math.floor(code / 2 ** bit) & 1);
      if (bit === 0) child[slot] = -1 - sym;
      else node = child[slot] || (child[slot] = nodes++);
    }
  });
  return child;
}

let tree: Int32Array | undefined;

/** decodes a Huffman-coded string (latin1: one char per byte) */
export function huffmanDecode(buf: Buffer): string {
  tree ??= buildTree();
  let out = "";
  let node = 0;
  let depth = 0;
  let ones = true;
  for (const byte of buf) {
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >> bit) & 1;
      ones = depth === 0 ? b === 1 : ones && b === 1;
      const next = tree[2 * node + b];
      depth++;
      if (next < 0) {
        const sym = -1 - next;
        if (sym === EOS) throw new HpackError("hpack: EOS in a huffman string");
        out += String.fromCharCode(sym);
        node = 0;
        depth = 0;
      } else {
        node = next;
      }
    }
  }
  // the rest must be a prefix of EOS (all ones) shorter than a byte
  if (depth > 7 || (depth > 0 && !ones)) throw new HpackError("hpack: bad huffman padding");
  return out;
}

/** A decoded header list: name to value, later duplicates joined with ", ". */
export type HeaderMap = Map<string, string>;

/** decodes header blocks of one connection, keeping its dynamic table */
export class HpackDecoder {
  private table: [string, string][] = [];
  private size = 0;
  private pos = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** the table size the encoder chose last (at most maxTableSize) */
  private limit: number;

  /** maxTableSize: what this side announced as SETTINGS_HEADER_TABLE_SIZE */
  constructor(private maxTableSize = 4096) {
    this.limit = maxTableSize;
  }

  decode(block: Buffer): HeaderMap {
    this.buf = block;
    this.pos = 0;
    const headers: HeaderMap = new Map();
    while (this.pos < block.length) {
      const b = block[this.pos];
      if (b & 0x80) {
        const [name, value] = this.entry(this.int(7));
        add(headers, name, value);
      } else if (b & 0x40) {
        const [name, value] = this.literal(6);
        this.insert(name, value);
        add(headers, name, value);
      } else if (b & 0x20) {
        const size = this.int(5);
        if (size > this.maxTableSize) throw new HpackError(`hpack: table size ${size} over ${this.maxTableSize}`);
        this.limit = size;
        this.evict(0);
      } else {
        const [name, value] = this.literal(4);
        add(headers, name, value);
      }
    }
    return headers;
  }

  private entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError("hpack: index 0");
    if (index <= STATIC.length) return STATIC[index - 1];
    const e = this.table[index - STATIC.length - 1];
    if (!e) throw new HpackError(`hpack: index ${index} out of range`);
    return e;
  }

  private literal(prefix: number): [string, string] {
    const index = this.int(prefix);
    const name = index === 0 ? this.string() : this.entry(index)[0];
    return [name, this.string()];
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + 32;
    this.evict(size);
    if (size > this.limit) return;
    this.table.unshift([name, value]);
    this.size += size;
  }

  /** drops the oldest entries until `room` more octets fit */
  private evict(room: number): void {
    while (this.table.length && this.size + room > this.limit) {
      const [n, v] = this.table.pop() as [string, string];
      this.size -= n.length + v.length + 32;
    }
  }

  private int(prefix: number): number {
    const max = (1 << prefix) - 1;
    let n = this.byte() & max;
    if (n < max) return n;
    for (let shift = 0; ; shift += 7) {
      if (shift > 28) throw new HpackError("hpack: integer too large");
      const b = this.byte();
      n += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return n;
    }
  }

  private string(): string {
    const huffman = (this.buf[this.pos] & 0x80) !== 0;
    const len = this.int(7);
    if (this.pos + len > this.buf.length) throw new HpackError(`hpack: string of ${len} bytes past the block end`);
    const raw = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return huffman ? huffmanDecode(raw) : raw.toString("latin1");
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new HpackError("hpack: truncated header block");
    return this.buf[this.pos++];
  }
}

function add(headers: HeaderMap, name: string, value: string): void {
  const had = headers.get(name);
  headers.set(name, had === undefined ? value : `${had}, ${value}`);
}

/** an HPACK integer with the given prefix bits, the first byte's high bits set to `flags` */
function encodeInt(n: number, prefix: number, flags: number): number[] {
  const max = (1 << prefix) - 1;
  if (n < max) return [flags | n];
  const out = [flags | max];
  for (n -= max; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 128);
  out.push(n);
  return out;
}

/** a header block of literal fields without indexing (names from the static table where it has them) */
export function encodeHeaders(fields: readonly (readonly [string, string])[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const full = STATIC.findIndex(([n, v]) => n === name && v === value);
    if (full >= 0) {
      parts.push(Buffer.from(encodeInt(full + 1, 7, 0x80)));
      continue;
    }
    const named = STATIC.findIndex(([n]) => n === name);
    parts.push(Buffer.from(encodeInt(named + 1, 4, 0)));
    if (named < 0) parts.push(encodeString(name));
    parts.push(encodeString(value));
  }
  return Buffer.concat(parts);
}

function encodeString(s: string): Buffer {
  const raw = Buffer.from(s, "latin1");
  return Buffer.concat([Buffer.from(encodeInt(raw.length, 7, 0)), raw]);
}
