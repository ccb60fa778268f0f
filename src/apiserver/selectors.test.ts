/** Label and field selector grammar and matching, and request path parsing, as upstream. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ApiStatusError } from "./errors.ts";
import { parseRequestInfo } from "./requestinfo.ts";
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from "./selectors.ts";

describe("label selectors", () => {
  it("parses every operator", () => {
    assert.deepEqual(parseLabelSelector("a=b, c==d,e!=f,g in (h, i),j notin (k),l,!m,app.kubernetes.io/name=x"), [
      { key: "a", op: "=", values: ["b"] },
      { key: "c", op: "=", values: ["d"] },
      { key: "e", op: "!=", values: ["f"] },
      { key: "g", op: "in", values: ["h", "i"] },
      { key: "j", op: "notin", values: ["k"] },
      { key: "l", op: "exists", values: [] },
      { key: "m", op: "!exists", values: [] },
      { key: "app.kubernetes.io/name", op: "=", values: ["x"] },
    ]);
    assert.deepEqual(parseLabelSelector(""), []);
  });

  it("matches as upstream (notin and != hold for missing keys)", () => {
    const labels = { env: "prod", tier: "web" };
    assert.equal(matchLabels(parseLabelSelector("env=prod,tier"), labels), true);
    assert.equal(matchLabels(parseLabelSelector("env!=dev,zone notin (a)"), labels), true);
    assert.equal(matchLabels(parseLabelSelector("zone in (a)"), labels), false);
    assert.equal(matchLabels(parseLabelSelector("!tier"), labels), false);
    assert.equal(matchLabels(parseLabelSelector("env"), undefined), false);
  });

  it("rejects bad keys with 400", () => {
    assert.throws(() => parseLabelSelector("a b=c"), (e: unknown) => e instanceof ApiStatusError && e.code === 400);
    assert.throws(() => parseLabelSelector("-bad=x"), (e: unknown) => e instanceof ApiStatusError && e.code === 400);
  });
});

describe("field selectors", () => {
  it("parses =, == and != and refuses unknown fields", () => {
    const allowed = (f: string): boolean => f === "status.phase" || f === "metadata.name";
    const sel = parseFieldSelector("status.phase!=Failed,metadata.name==x", allowed);
    assert.equal(matchFields(sel, { "status.phase": "Running", "metadata.name": "x" }), true);
    assert.equal(matchFields(sel, { "status.phase": "Failed", "metadata.name": "x" }), false);
    assert.throws(() => parseFieldSelector("spec.x=y", allowed), /field label not supported: spec.x/);
  });
});

describe("request info", () => {
  const info = (method: string, path: string, q = "") => parseRequestInfo({ method: method as "GET", path, query: new URLSearchParams(q) });
  it("reads namespaced, cluster-scoped, subresource and watch paths", () => {
    assert.deepEqual(info("GET", "/api/v1/namespaces/ns/pods/p/log"), { kind: "resource", verb: "get", group: "", version: "v1", resource: "pods", name: "p", subresource: "log", namespace: "ns" });
    assert.equal(info("GET", "/apis/apps/v1/deployments", "watch=1").verb, "watch");
    assert.deepEqual(info("GET", "/api/v1/watch/namespaces/ns/configmaps/c"), { kind: "resource", verb: "watch", group: "", version: "v1", resource: "configmaps", name: "c", subresource: "", namespace: "ns" });
    assert.deepEqual(info("PUT", "/api/v1/namespaces/ns/finalize"), { kind: "resource", verb: "update", group: "", version: "v1", resource: "namespaces", name: "ns", subresource: "finalize", namespace: "ns" });
    assert.equal(info("DELETE", "/api/v1/namespaces/ns/configmaps").verb, "deletecollection");
    assert.deepEqual(info("GET", "/api/v1/namespaces"), { kind: "resource", verb: "list", group: "", version: "v1", resource: "namespaces", name: "", subresource: "", namespace: "" });
    assert.equal(info("GET", "/apis/apps/v1").kind, "nonresource");
    assert.equal(info("GET", "/healthz").kind, "nonresource");
  });
});
