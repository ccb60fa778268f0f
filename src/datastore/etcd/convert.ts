/** Conversions between etcd's wire shapes and the datastore's. */
import type { KeyValue } from "../backend.ts";
import type { PbHeader, PbKeyValue } from "./messages.ts";

/** the fixed cluster and member ids this single-member "cluster" reports */
export const CLUSTER_ID = 0x6b696e65; // "kine"
export const MEMBER_ID = 0x6b336b31;

/** a response header at a revision */
export function header(revision: number): PbHeader {
  return { cluster_id: CLUSTER_ID, member_id: MEMBER_ID, revision, raft_term: 1 };
}

/** a key from the wire; the all-keys key "\0" becomes "" */
export function keyOf(buf: Buffer): string {
  if (buf.length === 1 && buf[0] === 0) return "";
  return buf.toString("utf8");
}

/** a range end from the wire: empty = single key, "\0" = every key from the start */
export function endOf(buf: Buffer | undefined): string | undefined {
  if (!buf || buf.length === 0) return undefined;
  if (buf.length === 1 && buf[0] === 0) return "\0";
  return buf.toString("utf8");
}

/** a KeyValue on the wire */
export function toPbKv(kv: KeyValue, keysOnly = false): PbKeyValue {
  return {
    key: Buffer.from(kv.key, "utf8"),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: keysOnly ? Buffer.alloc(0) : kv.value,
    lease: kv.lease,
  };
}
