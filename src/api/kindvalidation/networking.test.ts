/** networking.k8s.io/v1 validation: Ingress rules, paths, backends and TLS; IngressClass; NetworkPolicy ports, peers and types. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { validateIngress, validateIngressClass, validateNetworkPolicy } from "./networking.ts";
import { defaulted, edit, lines } from "./testsupport.ts";

function ingress(spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return defaulted({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "shop", namespace: "default", annotations }, spec });
}

const backend = { service: { name: "shop", port: { number: 80 } } };

test("ingress: rules or default backend, hosts, path types and absolute paths", () => {
  assert.deepEqual(validateIngress(ingress({ rules: [{ host: "*.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend }] } }] })), []);
  assert.deepEqual(lines(validateIngress(ingress({}))), ["FieldValueInvalid spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"]);
  const bad = ingress({ rules: [
    { host: "10.0.0.1", http: { paths: [{ path: "/", pathType: "Exact", backend }] } },
    { host: "a.*.com", http: { paths: [] } },
    { http: { paths: [{ path: "/a", backend }, { path: "rel", pathType: "Prefix", backend }, { path: "/x/../y", pathType: "Exact", backend }, { path: "/", pathType: "Regex", backend }] } },
  ] });
  assert.deepEqual(lines(validateIngress(bad)), [
    'FieldValueInvalid spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    "FieldValueInvalid spec.rules[1].host: Invalid value: \"a.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    "FieldValueRequired spec.rules[1].http.paths: Required value",
    "FieldValueRequired spec.rules[2].http.paths[0].pathType: Required value: pathType must be specified",
    'FieldValueInvalid spec.rules[2].http.paths[1].path: Invalid value: "rel": must be an absolute path',
    "FieldValueInvalid spec.rules[2].http.paths[2].path: Invalid value: \"/x/../y\": must not contain '/../'",
    'FieldValueNotSupported spec.rules[2].http.paths[3].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  ]);
});

test("ingress: backends are one of service or resource, with a port name or number; TLS hosts and class name", () => {
  const paths = (b: unknown) => ({ rules: [{ http: { paths: [{ path: "/", pathType: "ImplementationSpecific", backend: b }] } }] });
  const p = "spec.rules[0].http.paths[0].backend";
  assert.deepEqual(lines(validateIngress(ingress(paths({})))), [`FieldValueInvalid ${p}: Invalid value: "": resource or service backend is required`]);
  assert.deepEqual(lines(validateIngress(ingress(paths({ ...backend, resource: { kind: "Bucket", name: "b" } })))), [`FieldValueInvalid ${p}: Invalid value: "": cannot set both resource and service backends`]);
  assert.deepEqual(lines(validateIngress(ingress(paths({ service: { name: "Shop", port: {} } })))), [
    `FieldValueInvalid ${p}.service.name: Invalid value: "Shop": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    `FieldValueRequired ${p}: Required value: port name or number is required`,
  ]);
  assert.deepEqual(lines(validateIngress(ingress(paths({ service: { name: "shop", port: { number: 70000 } } })))), [`FieldValueInvalid ${p}.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive`]);
  assert.deepEqual(lines(validateIngress(ingress(paths({ resource: { kind: "Bucket" } })))), [`FieldValueRequired ${p}.resource.name: Required value`]);
  const tls = ingress({ defaultBackend: backend, ingressClassName: "traefik", tls: [{ hosts: ["Shop.example.com"], secretName: "tls_secret" }] }, { "kubernetes.io/ingress.class": "nginx" });
  assert.deepEqual(lines(validateIngress(tls)).map((l) => l.split(":").slice(0, 2).join(":")), [
    "FieldValueInvalid spec.tls[0].hosts[0]: Invalid value",
    "FieldValueInvalid spec.tls[0].secretName: Invalid value",
    "FieldValueInvalid annotations.kubernetes.io/ingress.class: Invalid value",
  ]);
  assert.equal(validateIngress(tls, tls).length, 2, "the class annotation is only compared on create");
});

test("ingress class: controller is a domain-prefixed path, parameters scoped, controller immutable", () => {
  const cls = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "c" }, spec });
  const ok = cls({ controller: "traefik.io/ingress-controller" });
  assert.deepEqual(validateIngressClass(ok), []);
  assert.deepEqual(lines(validateIngressClass(cls({ controller: "traefik" }))), ['FieldValueInvalid spec.controller: Invalid value: "traefik": must be a domain-prefixed path (such as "acme.io/foo")']);
  assert.deepEqual(lines(validateIngressClass(cls({ controller: "a.io/b", parameters: { kind: "P", name: "p", scope: "Cluster", namespace: "x" } }))), [
    "FieldValueForbidden spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
  ]);
  assert.deepEqual(lines(validateIngressClass(cls({ controller: "a.io/b", parameters: { kind: "P", name: "p" } }))), ["FieldValueRequired spec.parameters.scope: Required value"]);
  assert.deepEqual(lines(validateIngressClass(cls({ controller: "nginx.org/ctl" }), ok)), ['FieldValueInvalid spec.controller: Invalid value: "nginx.org/ctl": field is immutable']);
});

test("network policy: ports, end ports, peers, ipBlocks and policy types", () => {
  const np = defaulted({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "n", namespace: "default" }, spec: {
    podSelector: { matchLabels: { app: "shop" } },
    ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.1.0/24"] } }], ports: [{ port: 80, endPort: 90 }] }],
  } });
  assert.deepEqual(validateNetworkPolicy(np), []);
  const bad = edit(np, (s) => {
    s.ingress[0].ports = [{ protocol: "ICMP", port: 90, endPort: 80 }, { port: "http", endPort: 81 }, { endPort: 5 }];
    s.ingress[0].from = [{}, { ipBlock: { cidr: "10.0.0.0/16", except: ["10.1.0.0/24", "10.0.0.0/16", "x"] }, podSelector: {} }, { ipBlock: { cidr: "10.0.0.0" } }];
    s.policyTypes = ["Ingress", "Both"];
  });
  assert.deepEqual(lines(validateNetworkPolicy(bad)), [
    'FieldValueNotSupported spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    "FieldValueInvalid spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`",
    "FieldValueInvalid spec.ingress[0].ports[1].endPort: Invalid value: 81: may not be specified when `port` is non-numeric",
    "FieldValueInvalid spec.ingress[0].ports[2].endPort: Invalid value: 5: may not be specified when `port` is not specified",
    "FieldValueRequired spec.ingress[0].from[0]: Required value: must specify a peer",
    'FieldValueInvalid spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    'FieldValueInvalid spec.ingress[0].from[1].ipBlock.except[1]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
    'FieldValueInvalid spec.ingress[0].from[1].ipBlock.except[2]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    "FieldValueForbidden spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
    'FieldValueInvalid spec.ingress[0].from[2].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'FieldValueNotSupported spec.policyTypes[1]: Unsupported value: "Both": supported values: "Ingress", "Egress"',
  ]);
});
