/** Everyday commands under every kubectl on the machine (1.27–1.33): discovery v2/v2beta1, tables, create, apply, delete. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./testenv.ts";

function run(ts: TestServer, bin: string, args: string[], input?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(bin, ["--kubeconfig", ts.kubeconfig, "--cache-dir", join(ts.dir, `cache-${bin.slice(-4)}`), ...args], { timeout: 30_000, env: { ...process.env, HOME: ts.dir } }, (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, out: stdout.toString() + stderr.toString() });
    });
    child.stdin?.end(input ?? "");
  });
}

describe("kubectl 1.27–1.33", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(async () => {
    await ts.close();
  });

  for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
    const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
    it(`kubectl 1.${minor}`, { skip: !existsSync(bin) }, async () => {
      const name = `v${minor}`;
      // 1.27 and 1.28 validate and compute apply patches from OpenAPI v2 (protobuf), which src/apiserver/openapi does not serve
      const validate = minor < 29 ? ["--validate=false"] : [];
      const apply = await run(ts, bin, ["apply", ...validate, "-f", "-"], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, labels: {k: v}}\ndata: {a: "1"}\n`);
      assert.equal(apply.code, 0, apply.out);
      const get = await run(ts, bin, ["get", "cm", name, "--show-labels"]);
      assert.equal(get.code, 0, get.out);
      assert.match(get.out, new RegExp(`^${name}\\s+\\S+\\s+k=v$`, "m"));
      const wd = await run(ts, bin, ["get", "wd"]);
      assert.equal(wd.code, 0, wd.out);
      const reapply = await run(ts, bin, ["apply", ...validate, "-f", "-"], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {b: "2"}\n`);
      assert.equal(reapply.code, 0, reapply.out);
      const data = (await ts.request("GET", `/api/v1/namespaces/default/configmaps/${name}`)).json().data;
      assert.deepEqual(data, { b: "2" });
      const del = await run(ts, bin, ["delete", "cm", name]);
      assert.equal(del.code, 0, del.out);
    });
  }
});
