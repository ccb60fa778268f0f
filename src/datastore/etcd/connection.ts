/**
 * Wraps a client socket for the http2 server: writes made in one event-loop
 * turn leave in one socket write. Node's HTTP/2 sends a gRPC response's
 * trailers in a later turn than its headers and data; without this the client
 * wakes twice per call and, on a busy machine, waits a scheduling round for
 * the trailers. Optionally rewrites the client's bytes (see authority.ts).
 */
import { Duplex } from "node:stream";
import type { Socket } from "node:net";

/** The wrapper's handle for holding output until a response is complete. */
export interface OutputGate {
  /** keeps output back (a unary response's trailers are still to come) */
  hold(): void;
  /** lets output go once nothing holds it */
  release(): void;
}

/** Options of wrapConnection. */
export interface WrapOptions {
  /** turns bytes from the client into bytes for the server */
  rewrite?: (chunk: Buffer) => Buffer[];
}

const gates = new WeakMap<Duplex, OutputGate>();

/** the gate of a wrapped connection */
export function outputGate(conn: Duplex): OutputGate | undefined {
  return gates.get(conn);
}

/** a Duplex over the socket that coalesces output per event-loop turn */
export function wrapConnection(socket: Socket, opts: WrapOptions = {}): Duplex {
  let pending: Buffer[] = [];
  let scheduled = false;
  let holds = 0;
  let waiting: (() => void)[] = [];
  const flush = () => {
    scheduled = false;
    if (holds > 0 || !pending.length || socket.destroyed) return;
    const data = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    pending = [];
    if (!socket.write(data)) {
      socket.once("drain", () => {
        const w = waiting;
        waiting = [];
        for (const cb of w) cb();
      });
    }
  };
  const queue = (chunk: Buffer, cb: () => void) => {
    pending.push(chunk);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    // hold the writer back while the socket is congested
    if (socket.writableNeedDrain) waiting.push(cb);
    else cb();
  };
  const inner: Duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      queue(chunk, () => cb());
    },
    writev(chunks, cb) {
      for (const c of chunks) pending.push(c.chunk as Buffer);
      queue(Buffer.alloc(0), () => cb());
    },
    final(cb) {
      flush();
      socket.end(cb);
    },
    destroy(err, cb) {
      socket.destroy(err ?? undefined);
      cb(err);
    },
  });
  gates.set(inner, {
    hold: () => {
      holds++;
    },
    release: () => {
      holds = Math.max(0, holds - 1);
      if (holds === 0 && pending.length && !scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  });
  socket.on("data", (chunk: Buffer) => {
    try {
      const parts = opts.rewrite ? opts.rewrite(chunk) : [chunk];
      let more = true;
      for (const part of parts) more = inner.push(part) && more;
      if (!more) socket.pause();
    } catch (err) {
      socket.destroy(err as Error);
    }
  });
  socket.on("end", () => inner.push(null));
  socket.on("error", (err) => inner.destroy(err));
  socket.on("close", () => inner.destroy());
  return inner;
}
