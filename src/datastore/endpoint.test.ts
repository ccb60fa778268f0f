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
  assert.throws(() => parseEndpoint("https://etcd:2379", opts), /external etcd/);
});
