/** Containers, init containers and ephemeral containers: names, images, enums, ports, host port conflicts, sidecar rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { JsonMap } from "../access.ts";
import { type ContainerContext, validateContainers, validateInitContainers } from "./containers.ts";
import { validateEphemeralContainers } from "./ephemeral.ts";
import { lines } from "./testutil.ts";

const ctx: ContainerContext = { volumes: new Map([["data", "emptyDir"]]), gracePeriod: 30, restartPolicy: "Always", hostUsers: true, claims: new Set(["gpu"]) };

test("a defaulted web container and a sidecar are valid", () => {
  const web: JsonMap = {
    name: "web", image: "nginx:1.27", imagePullPolicy: "IfNotPresent", terminationMessagePolicy: "File",
    ports: [{ name: "http", containerPort: 80, protocol: "TCP" }, { containerPort: 53, hostPort: 53, protocol: "UDP" }],
    volumeMounts: [{ name: "data", mountPath: "/data" }], livenessProbe: { httpGet: { path: "/", port: "http", scheme: "HTTP" }, successThreshold: 1 },
  };
  assert.deepEqual(validateContainers([web], "spec.containers", ctx), []);
  const sidecar = { name: "log", image: "busybox", restartPolicy: "Always", readinessProbe: { exec: { command: ["true"] } } };
  assert.deepEqual(validateInitContainers([sidecar, { name: "init", image: "busybox" }], [web], "spec.initContainers", ctx), []);
});

test("container rules with upstream's paths and words", () => {
  const list: JsonMap[] = [
    { name: "Web", image: "", imagePullPolicy: "Sometimes", terminationMessagePolicy: "Stdout", restartPolicy: "Always",
      ports: [{ containerPort: 0 }, { name: "http", containerPort: 8080, protocol: "HTTP", hostPort: 70000 }, { name: "http", containerPort: 1 }, { name: "Bad_Name", containerPort: 2 }] },
    { name: "b", image: "x", ports: [{ containerPort: 80, hostPort: 80, protocol: "TCP" }] },
    { name: "c", image: "x", ports: [{ containerPort: 81, hostPort: 80, protocol: "TCP" }] },
  ];
  const c = "spec.containers";
  assert.deepEqual(lines(validateContainers(list, c, ctx)), [
    `${c}[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    `${c}[0].image: Required value`,
    `${c}[0].terminationMessagePolicy: Unsupported value: "Stdout": supported values: "File", "FallbackToLogsOnError"`,
    `${c}[0].ports[0].containerPort: Required value`,
    `${c}[0].ports[1].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    `${c}[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`,
    `${c}[0].ports[2].name: Duplicate value: "http"`,
    `${c}[0].ports[3].name: Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
    `${c}[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
    `${c}[0].restartPolicy: Forbidden: may not be set for non-init containers`,
    `${c}[2].ports[0].hostPort: Duplicate value: "TCP//80"`,
  ]);
  assert.deepEqual(lines(validateContainers([], c, ctx)), [`${c}: Required value`]);
});

test("init containers: restartPolicy Always only, probes only for sidecars, names unique across kinds", () => {
  const i = "spec.initContainers";
  const list = [{ name: "web", image: "x" }, { name: "setup", image: "x", restartPolicy: "OnFailure", livenessProbe: { exec: { command: ["x"] } }, lifecycle: {} }];
  assert.deepEqual(lines(validateInitContainers(list, [{ name: "web" }], i, ctx)), [
    `${i}[0].name: Duplicate value: "web"`,
    `${i}[1].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`,
    `${i}[1].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always`,
    `${i}[1].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always`,
  ]);
});

test("ephemeral containers: unique names, a known target, no ports/probes/resources, no subPath", () => {
  const spec = {
    containers: [{ name: "app", image: "x" }],
    ephemeralContainers: [{ name: "app", image: "busybox", targetContainerName: "gone", ports: [{ containerPort: 1 }], resources: { limits: { cpu: "1" } }, volumeMounts: [{ name: "data", mountPath: "/d", subPath: "s" }] }],
  };
  const e = "spec.ephemeralContainers[0]";
  assert.deepEqual(lines(validateEphemeralContainers(spec, "spec.ephemeralContainers", ctx)), [
    `${e}.name: Duplicate value: "app"`,
    `${e}.targetContainerName: Not found: "gone"`,
    `${e}.ports: Forbidden: cannot be set for an Ephemeral Container`,
    `${e}.resources: Forbidden: cannot be set for an Ephemeral Container`,
    `${e}.volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container`,
  ]);
});
