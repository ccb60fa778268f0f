/** The PEM files of --datastore-cafile/--datastore-certfile/--datastore-keyfile, read once at start. */
import { readFileSync } from "node:fs";
import type { TlsFiles } from "./connection.ts";

/** Paths of the datastore's TLS files (k3s's --datastore-* flags). */
export interface TlsPaths {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

function read(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${flag} ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** reads the files named; a certificate needs its key and the other way round */
export function loadTlsFiles(paths: TlsPaths): TlsFiles {
  if (!!paths.certFile !== !!paths.keyFile) {
    throw new Error(`datastore tls: --datastore-certfile and --datastore-keyfile go together (got ${paths.certFile ? "only a certificate" : "only a key"})`);
  }
  return {
    ca: paths.caFile ? read("--datastore-cafile", paths.caFile) : undefined,
    cert: paths.certFile ? read("--datastore-certfile", paths.certFile) : undefined,
    key: paths.keyFile ? read("--datastore-keyfile", paths.keyFile) : undefined,
  };
}
