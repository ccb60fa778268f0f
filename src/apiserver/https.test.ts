/** The HTTPS front end: anonymous access, 401, Forbidden wording, impersonation, body limit, max-in-flight, upgrades, health, gzip, tables. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:tls";
import { gunzipSync } from "node:zlib";
import type { Authorizer } from "./auth/types.ts";
import { configMap, startTestServer, type TestServer } from "./testenv.ts";

const CM = "/api/v1/namespaces/default/configmaps";

/** system:masters may do anything; alice may only get/list configmaps in default. */
const authorizer: Authorizer = {
  async authorize(a) {
    if (a.user.groups.includes("system:masters")) return { allowed: true };
    if (!a.resourceRequest) return { allowed: a.path === "/version" || a.path === "/healthz" || a.path === "/readyz" || a.path === "/livez" };
    return { allowed: a.resource === "configmaps" && a.namespace === "default" && (a.verb === "get" || a.verb === "list") };
  },
};

describe("https front end", () => {
  let ts: TestServer;
  let upgraded: string | undefined;
  before(async () => {
    ts = await startTestServer({
      authorizer,
      maxInFlight: 1,
      maxQueued: 1,
      queueWaitMs: 200,
      upgradeHandler: (req, socket, _head, user) => {
        upgraded = `${req.url} as ${user.username}`;
        socket.end("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
      },
    });
    ts.api.health.register("flaky", () => {
      if (process.env.APISERVER_TEST_FLAKY === "1") throw new Error("down");
    }, { endpoints: ["readyz"] });
    ts.api.registerSubresource("configmaps", "log", async (req, ctx) => {
      const parent = await ctx.getParent();
      return { status: 200, headers: { "content-type": "text/plain" }, body: Buffer.from(`log of ${parent.metadata.name} for ${req.user.username}`) };
    });
  });
  after(async () => {
    await ts.close();
  });

  it("lets anonymous users reach only /version and health", async () => {
    assert.equal((await ts.request("GET", "/version", { as: "anonymous" })).status, 200);
    assert.equal((await ts.request("GET", "/readyz", { as: "anonymous" })).body.toString(), "ok");
    const denied = await ts.request("GET", CM, { as: "anonymous" });
    assert.equal(denied.status, 401);
    assert.equal(denied.json().reason, "Unauthorized");
  });

  it("words Forbidden as upstream", async () => {
    const ok = await ts.request("GET", CM, { as: "alice" });
    assert.equal(ok.status, 200);
    const no = await ts.request("POST", CM, { as: "alice", body: configMap("x") });
    assert.equal(no.status, 403);
    assert.equal(no.json().message, 'configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"');
    const ns = await ts.request("GET", "/api/v1/namespaces/default", { as: "alice" });
    assert.equal(ns.json().message, 'namespaces "default" is forbidden: User "alice" cannot get resource "namespaces" in API group "" in the namespace "default"');
  });

  it("impersonates when allowed and refuses otherwise", async () => {
    const as = await ts.request("POST", CM, { body: configMap("imp"), headers: { "impersonate-user": "alice" } });
    assert.equal(as.status, 403, "admin acting as alice gets alice's rights");
    assert.match(as.json().message, /User "alice" cannot create/);
    const bad = await ts.request("GET", CM, { as: "alice", headers: { "impersonate-user": "admin" } });
    assert.equal(bad.status, 403);
    assert.match(bad.json().message, /cannot impersonate resource "users"/);
  });

  it("rejects bodies over 3 MiB with 413", async () => {
    const big = await ts.request("POST", CM, { body: configMap("big", { a: "x".repeat(3 * 1024 * 1024) }) });
    assert.equal(big.status, 413);
    assert.equal(big.json().reason, "RequestEntityTooLarge");
  });

  it("queues beyond max-in-flight, then answers 429 with Retry-After", async () => {
    // hold the single slot with a slow hook, fill the queue, and watch the third request bounce
    let release: () => void = () => undefined;
    ts.api.registerPath("/slow", () => new Promise((r) => (release = () => r({ status: 200, headers: {}, body: Buffer.from("done") }))));
    const first = ts.request("GET", "/slow");
    await new Promise((r) => setTimeout(r, 50));
    const queued = ts.request("GET", "/version");
    await new Promise((r) => setTimeout(r, 20));
    const rejected = await ts.request("GET", "/version");
    assert.equal(rejected.status, 429);
    assert.equal(rejected.headers["retry-after"], "1");
    assert.equal(rejected.json().reason, "TooManyRequests");
    release();
    assert.equal((await first).status, 200);
    assert.equal((await queued).status, 200);
  });

  it("routes subresource hooks and upgrade requests", async () => {
    await ts.request("POST", CM, { body: configMap("hooked") });
    const log = await ts.request("GET", `${CM}/hooked/log`);
    assert.equal(log.body.toString(), "log of hooked for admin");
    const missing = await ts.request("GET", `${CM}/nope/log`);
    assert.equal(missing.status, 404);
    // the upgrade handler takes over after authentication, knowing the user
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect({ host: "127.0.0.1", port: ts.port, ca: ts.pki.caCert, cert: ts.pki.adminCert, key: ts.pki.adminKey }, () => {
        sock.write(`GET ${CM}/hooked/exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
      });
      let data = "";
      sock.on("data", (c: Buffer) => (data += c.toString()));
      sock.on("end", () => resolve(data));
      sock.on("error", reject);
    });
    assert.match(reply, /^HTTP\/1\.1 101/);
    assert.equal(upgraded, `${CM}/hooked/exec as admin`);
    const anon = await new Promise<string>((resolve, reject) => {
      const sock = connect({ host: "127.0.0.1", port: ts.port, ca: ts.pki.caCert }, () => {
        sock.write(`GET ${CM}/hooked/exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
      });
      let data = "";
      sock.on("data", (c: Buffer) => (data += c.toString()));
      sock.on("end", () => resolve(data));
      sock.on("error", reject);
    });
    assert.match(anon, /^HTTP\/1\.1 401/);
    const alice = await new Promise<string>((resolve, reject) => {
      const sock = connect({ host: "127.0.0.1", port: ts.port, ca: ts.pki.caCert, cert: ts.pki.userCert, key: ts.pki.userKey }, () => {
        sock.write(`GET ${CM}/hooked/exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
      });
      let data = "";
      sock.on("data", (c: Buffer) => (data += c.toString()));
      sock.on("end", () => resolve(data));
      sock.on("error", reject);
    });
    assert.match(alice, /^HTTP\/1\.1 403/);
    assert.match(alice, /cannot create resource \\"configmaps\/exec\\"/);
  });

  it("refuses TLS renegotiation, so a connection keeps the certificate it was authenticated with", async () => {
    const err = await new Promise<Error | null>((resolve, reject) => {
      const sock = connect({ host: "127.0.0.1", port: ts.port, ca: ts.pki.caCert, cert: ts.pki.userCert, key: ts.pki.userKey, maxVersion: "TLSv1.2" }, () => {
        const asked = sock.renegotiate({ rejectUnauthorized: true }, (e) => {
          sock.destroy();
          resolve(e);
        });
        if (!asked) resolve(new Error("renegotiate refused locally"));
      });
      sock.on("error", (e) => resolve(e));
      sock.on("close", () => resolve(new Error("closed")));
      setTimeout(() => reject(new Error("no answer to renegotiation")), 5000).unref();
    });
    assert.ok(err, "the server must not renegotiate");
  });

  it("serves health checks with verbose output and per-check paths", async () => {
    const v = await ts.request("GET", "/readyz?verbose");
    assert.match(v.body.toString(), /\[\+\]ping ok\n\[\+\]etcd ok\n\[\+\]flaky ok\nreadyz check passed/);
    assert.equal((await ts.request("GET", "/livez/etcd")).body.toString(), "ok");
    process.env.APISERVER_TEST_FLAKY = "1";
    try {
      const bad = await ts.request("GET", "/readyz");
      assert.equal(bad.status, 500);
      assert.match(bad.body.toString(), /\[-\]flaky failed: reason withheld/);
      assert.equal((await ts.request("GET", "/healthz")).status, 200, "flaky only counts for readyz");
    } finally {
      delete process.env.APISERVER_TEST_FLAKY;
    }
  });

  it("gzips large responses and answers Tables and PartialObjectMetadata", async () => {
    await ts.request("POST", CM, { body: configMap("large", { a: "y".repeat(200 * 1024) }) });
    const gz = await ts.request("GET", CM, { headers: { "accept-encoding": "gzip" } });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.ok(JSON.parse(gunzipSync(gz.body).toString()).items.length >= 2);
    const table = (await ts.request("GET", `${CM}/hooked`, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" } })).json();
    assert.equal(table.kind, "Table");
    assert.deepEqual(table.columnDefinitions.map((c: { name: string }) => c.name), ["Name", "Created At"]);
    assert.equal(table.rows[0].cells[0], "hooked");
    assert.equal(table.rows[0].object.kind, "PartialObjectMetadata");
    const withObj = (await ts.request("GET", `${CM}?includeObject=Object`, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).json();
    assert.equal(withObj.rows[0].object.kind, "ConfigMap");
    const pom = (await ts.request("GET", CM, { headers: { accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io" } })).json();
    assert.equal(pom.kind, "PartialObjectMetadataList");
    assert.equal(pom.items[0].data, undefined);
    const pbOnly = await ts.request("GET", CM, { headers: { accept: "application/vnd.kubernetes.protobuf" } });
    assert.equal(pbOnly.headers["content-type"], "application/json", "JSON for protobuf-only clients: every client decodes it");
    const na = await ts.request("GET", CM, { headers: { accept: "text/html" } });
    assert.equal(na.status, 406);
    assert.equal(na.json().reason, "NotAcceptable");
    const yaml = await ts.request("POST", CM, { body: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fromyaml}\n", headers: { "content-type": "application/yaml" } });
    assert.equal(yaml.status, 201);
    const pb = await ts.request("POST", CM, { body: Buffer.from("k8s\0"), headers: { "content-type": "application/vnd.kubernetes.protobuf" } });
    assert.equal(pb.status, 415);
    const broken = await ts.request("POST", CM, { body: "{not json" });
    assert.equal(broken.status, 400);
    assert.match(broken.json().message, /error decoding JSON body/);
  });
});
