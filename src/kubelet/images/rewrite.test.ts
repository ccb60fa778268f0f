/**
 * The pure parts of registries.yaml rewrites: reference normalisation as the
 * CRI plugin names images, Go (RE2) regexps and replacement templates on
 * JavaScript's engine, and which rewritten pulls an image gets (first
 * matching rule, mirror endpoints only, the "*" mirror as a fallback,
 * endpoint credentials from configs, invalid patterns logged and skipped).
 */
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { compileGoRegexp, expandGoTemplate, replaceAllGo } from "./goregexp.ts";
import { formatReference, parseReference } from "./reference.ts";
import { RegistryRewrites } from "./rewrite.ts";

test("references normalise as the CRI plugin names images", () => {
  const norm = (s: string): string => formatReference(parseReference(s));
  assert.equal(norm("busybox"), "docker.io/library/busybox:latest");
  assert.equal(norm("busybox:1.36"), "docker.io/library/busybox:1.36");
  assert.equal(norm("rancher/pause:3.6"), "docker.io/rancher/pause:3.6");
  assert.equal(norm("index.docker.io/rancher/pause:3.6"), "docker.io/rancher/pause:3.6");
  assert.equal(norm("reg.local:5000/a/b/c:2"), "reg.local:5000/a/b/c:2");
  assert.equal(norm("localhost/x"), "localhost/x:latest");
  assert.equal(norm("busybox:1@sha256:abcd"), "docker.io/library/busybox@sha256:abcd", "a digest wins over a tag");
  assert.deepEqual(parseReference("reg.local:5000/app"), { domain: "reg.local:5000", path: "app", suffix: ":latest" });
  assert.throws(() => parseReference("Reg/App:1"), /invalid image reference "Reg\/App:1"/);
});

test("Go regexps: RE2 syntax translated, RE2's refusals kept", () => {
  assert.equal(replaceAllGo(compileGoRegexp("^library/(.*)"), "library/busybox", "mirror/library/$1"), "mirror/library/busybox");
  assert.equal(replaceAllGo(compileGoRegexp("^(?P<org>[^/]+)/(?P<name>.*)$"), "rancher/pause", "m/${name}-${org}"), "m/pause-rancher");
  assert.equal(replaceAllGo(compileGoRegexp("(?i)^RANCHER/"), "rancher/pause", "x/"), "x/pause");
  assert.equal(replaceAllGo(compileGoRegexp("\\Arancher\\z"), "rancher", "r"), "r");
  assert.equal(replaceAllGo(compileGoRegexp("\\Arancher\\z"), "rancher/x", "r"), "rancher/x");
  assert.equal(replaceAllGo(compileGoRegexp("[[:digit:]]+"), "a1b22", "#"), "a#b#", "ReplaceAll replaces every match");
  assert.equal(replaceAllGo(compileGoRegexp("[]a]"), "]a", "-"), "--", "a leading ] in a class is a literal");
  assert.equal(replaceAllGo(compileGoRegexp("\\Q.*\\E"), "a.*b", "+"), "a+b");
  for (const bad of ["(a", "a(?=b)", "(?<!a)b", "(a)\\1", "x(?i)y", "(?U)a", "[[:nope:]]", "[a"]) {
    assert.throws(() => compileGoRegexp(bad), Error, `${bad} must be refused`);
  }
  const m = /(a)(?<n>b)/.exec("ab")!;
  assert.equal(expandGoTemplate("$1-${n}-$$-$3-$-x-$2", m), "a-b-$--$-x-b", "unknown group is empty, $$ is $, a lone $ stays");
  assert.equal(expandGoTemplate("$1x", m), "", "Go reads $1x as the group named 1x");
});

test("planned pulls: each mirror endpoint in order with the rewritten repository; default endpoints and non-matching names get none", () => {
  const logs: string[] = [];
  const rw = new RegistryRewrites(
    {
      mirrors: {
        "docker.io": {
          endpoint: ["https://reg.local:5000", "http://10.0.0.1:5000/v2/", "https://registry-1.docker.io"],
          rewrite: { "^library/(.*)": "mirror/library/$1", "^(.*)$": "all/$1", "(broken": "x" },
        },
        "*": { endpoint: ["http://cache.local"], rewrite: { "^(.*)": "cache/$1" } },
        "plain.local": { endpoint: ["https://plain-mirror.local"] },
      },
      configs: { "reg.local:5000": { auth: { username: "u", password: "p" } }, "cache.local": { auth: { token: "t" } } },
    },
    (m) => logs.push(m),
  );
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /ignoring rewrite "\(broken" of mirror docker\.io: invalid regexp/);
  assert.deepEqual(rw.plan("busybox:1"), [
    { endpoint: "https://reg.local:5000", ref: "reg.local:5000/mirror/library/busybox:1", auth: { username: "u", password: "p", auth: undefined, identity_token: undefined } },
    { endpoint: "http://10.0.0.1:5000/v2/", ref: "10.0.0.1:5000/mirror/library/busybox:1", auth: undefined },
  ]);
  assert.deepEqual(
    rw.plan("rancher/pause@sha256:ab").map((p) => p.ref),
    ["reg.local:5000/all/rancher/pause@sha256:ab", "10.0.0.1:5000/all/rancher/pause@sha256:ab"],
    "the first matching rule in file order decides",
  );
  assert.deepEqual(rw.plan("quay.io/x/y:1"), [{ endpoint: "http://cache.local", ref: "cache.local/cache/x/y:1", auth: { username: undefined, password: undefined, auth: undefined, identity_token: "t" } }]);
  assert.deepEqual(rw.plan("plain.local/x:1"), [], "a mirror without rewrites is containerd's job");
  assert.deepEqual(new RegistryRewrites({ mirrors: {}, configs: {} }, () => {}).plan("busybox"), []);
});
