/**
 * Test support: a throwaway CA and a serving certificate for given DNS/IP
 * names (webhook and aggregated API servers in tests), made with the openssl
 * CLI in a temp dir the caller removes. Not used at run time.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCerts {
  caCert: string;
  cert: string;
  key: string;
  /** the CA as a caBundle field wants it */
  caBundle: string;
}

/** Makes a CA and a server certificate for `names` ("DNS:x" / "IP:y") in dir. */
export function makeServingCerts(dir: string, names: string[]): TestCerts {
  const run = (args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "sca.key", "-out", "sca.crt", "-days", "2", "-subj", "/CN=serving-ca"]);
  run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "serving.key", "-out", "serving.csr", "-subj", "/CN=serving"]);
  writeFileSync(join(dir, "serving.ext"), `subjectAltName=${names.join(",")}\nextendedKeyUsage=serverAuth\n`);
  run(["x509", "-req", "-in", "serving.csr", "-CA", "sca.crt", "-CAkey", "sca.key", "-CAcreateserial", "-out", "serving.crt", "-days", "2", "-extfile", "serving.ext"]);
  const caCert = readFileSync(join(dir, "sca.crt"), "utf8");
  return { caCert, cert: readFileSync(join(dir, "serving.crt"), "utf8"), key: readFileSync(join(dir, "serving.key"), "utf8"), caBundle: Buffer.from(caCert).toString("base64") };
}
