/**
 * The node password: a random secret each agent keeps in
 * /etc/rancher/node/password and sends on join; the server keeps only a
 * salted scrypt hash (Secret <node>.node-password.k3s) and refuses a node
 * name that comes back with another password.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { readIfExists, writeFileAtomic } from "../pki/files.ts";

/** Where k3s agents keep their node password. */
export const DEFAULT_NODE_PASSWORD_FILE = join("/etc", "rancher", "node", "password");

/** Reads the node password file, creating it (0600) with a random secret when absent. */
export function ensureNodePassword(path: string = DEFAULT_NODE_PASSWORD_FILE): string {
  const existing = readIfExists(path)?.trim();
  if (existing) return existing;
  const password = randomBytes(16).toString("hex");
  writeFileAtomic(path, `${password}\n`, { mode: 0o600 });
  return password;
}

const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function derive(password: string, salt: Buffer, params: { n: number; r: number; p: number; keyLen: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, params.keyLen, { N: params.n, r: params.r, p: params.p, maxmem: 256 * params.n * params.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a node password as `$1:<salt hex>:<log2 N>:<r>:<p>:<hash hex>`. */
export async function hashNodePassword(password: string): Promise<string> {
  const salt = randomBytes(8);
  const key = await derive(password, salt, { n: N, r: R, p: P, keyLen: KEY_LEN });
  return `$1:${salt.toString("hex")}:${Math.log2(N)}:${R}:${P}:${key.toString("hex")}`;
}

/** True when `password` matches a hash made by hashNodePassword; false for any malformed hash. */
export async function verifyNodePassword(hash: string, password: string): Promise<boolean> {
  const parts = hash.split(":");
  if (parts.length !== 6 || parts[0] !== "$1") return false;
  const [, saltHex, logN, r, p, keyHex] = parts;
  const n = 2 ** Number(logN);
  if (!Number.isInteger(n) || n < 2 || n > 2 ** 20 || !/^[0-9a-f]+$/.test(keyHex)) return false;
  const expected = Buffer.from(keyHex, "hex");
  const key = await derive(password, Buffer.from(saltHex, "hex"), { n, r: Number(r), p: Number(p), keyLen: expected.length });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
