/** What each --datastore-endpoint form parses to, and how bad ones are named. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseEndpoint } from "./endpoint.ts";

const opts = { dataDir: "/var/lib/rancher/k3s" };

test("no endpoint is SQLite in the data dir", () => {
  const ep = parseEndpoint(undefined, opts);
  assert.deepEqual({ driver: ep.driver, path: ep.driver === "sqlite" && ep.path }, { driver: "sqlite", path: "/var/lib/rancher/k3s/server/db/state.db" });
});

test("sqlite://path?params", () => {
  const ep = parseEndpoint("sqlite:///tmp/x.db?_busy_timeout=5000", opts);
  assert.ok(ep.driver === "sqlite");
  assert.equal(ep.path, "/tmp/x.db");
  assert.equal(ep.params.get("_busy_timeout"), "5000");
});

test("postgres URL keeps its parts and defaults the database to kubernetes", () => {
  const ep = parseEndpoint("postgres://u:p@db.example:5433?sslmode=disable", opts);
  assert.ok(ep.driver === "postgres");
  assert.equal(ep.database, "kubernetes");
  assert.equal(ep.url, "postgres://u:p@db.example:5433/kubernetes?sslmode=disable");
});

test("mysql go-sql-driver DSN", () => {
  const ep = parseEndpoint("mysql://root:secret@tcp(10.0.0.5:3307)/k3s", opts);
  assert.ok(ep.driver === "mysql");
  assert.deepEqual([ep.user, ep.password, ep.host, ep.port, ep.database], ["root", "secret", "10.0.0.5", 3307, "k3s"]);
  const sock = parseEndpoint("mysql://root@unix(/run/mysqld/mysqld.sock)/", opts);
  assert.ok(sock.driver === "mysql");
  assert.equal(sock.socketPath, "/run/mysqld/mysqld.sock");
  assert.equal(sock.database, "kubernetes");
});

test("bad endpoints name the wrong part", () => {
  assert.throws(() => parseEndpoint("foo://x", opts), /unknown scheme "foo"/);
  assert.throws(() => parseEndpoint("localhost:5432", opts), /missing scheme/);
  assert.throws(() => parseEndpoint("mysql://root:pw@tcp(host:99999)/db", opts), /bad mysql port/);
  assert.throws(() => parseEndpoint("mysql://root:pw@host/db/extra", opts), /expected user:pass@tcp\(host:port\)\/database/);
});

test("http(s) endpoints are an external etcd cluster, comma-separated, port 2379 by default", () => {
  const ep = parseEndpoint("https://etcd1:2379, https://10.0.0.2:32379,https://etcd3", opts);
  assert.deepEqual(ep, { driver: "etcd", endpoints: ["https://etcd1:2379", "https://10.0.0.2:32379", "https://etcd3:2379"] });
  const v6 = parseEndpoint("http://[::1]:2379", opts);
  assert.deepEqual(v6, { driver: "etcd", endpoints: ["http://[::1]:2379"] });
});

test("bad etcd URLs name the part and what is wrong with it", () => {
  assert.throws(() => parseEndpoint("https://etcd1:2379,", opts), /part 2 "": empty etcd URL/);
  assert.throws(() => parseEndpoint("https://etcd1:2379,etcd2:2379", opts), /part 2 "etcd2:2379": scheme "etcd2" is not http or https/);
  assert.throws(() => parseEndpoint("http://etcd1:99999", opts), /part 1 "http:\/\/etcd1:99999": not a valid URL/);
  assert.throws(() => parseEndpoint("http://etcd1:2379/registry", opts), /part 1 .*no path, got "\/registry"/);
  assert.throws(() => parseEndpoint("http://root:pw@etcd1:2379", opts), /part 1 "http:\/\/root:\*\*\*@etcd1:2379": etcd user names/);
});
