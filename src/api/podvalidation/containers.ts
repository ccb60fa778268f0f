/** Containers, init containers and ephemeral containers as upstream's validateContainers and friends. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString } from "../access.ts";
import { dns1123Label, duplicate, forbidden, invalid, notSupported, portName, required } from "../validation.ts";
import { inRange, oneOf, requiredOneOf } from "./common.ts";
import { validateEnv, validateEnvFrom } from "./env.ts";
import { validateLifecycle, validateProbe } from "./probes.ts";
import { validateResources } from "./resources.ts";
import { validateContainerSecurityContext } from "./securitycontext.ts";
import { type VolumeKinds, validateVolumeDevices, validateVolumeMounts } from "./volumes.ts";

/** What container validation needs to know about the pod. */
export interface ContainerContext {
  volumes: VolumeKinds;
  /** the pod's terminationGracePeriodSeconds, for sleep actions */
  gracePeriod?: number;
  /** the pod's restartPolicy */
  restartPolicy: string;
  /** false when the pod has its own user namespace */
  hostUsers: boolean;
  /** the names of the pod's spec.resourceClaims */
  claims: Set<string>;
}

const PROTOCOLS = ["SCTP", "TCP", "UDP"];

/** Upstream's validateContainerPorts. */
function validatePorts(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asMaps(list).forEach((port, i) => {
    const at = `${path}[${i}]`;
    const name = asString(port.name);
    if (name) {
      const bad = portName(name);
      if (bad.length) errs.push(...bad.map((detail) => invalid(`${at}.name`, { value: name, detail })));
      else if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
    if (!asNumber(port.containerPort)) errs.push(required(`${at}.containerPort`));
    else errs.push(...inRange(`${at}.containerPort`, port.containerPort, [1, 65535]));
    if (asNumber(port.hostPort)) errs.push(...inRange(`${at}.hostPort`, port.hostPort, [1, 65535]));
    // protocol defaults to TCP, so only a wrong value is reported
    errs.push(...oneOf(`${at}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

function namesToPaths(list: unknown, key: string, valueKey: string): Map<string, string> {
  return new Map(asMaps(list).map((m) => [asString(m[key]), asString(m[valueKey])]));
}

const RESIZE_RESOURCES = ["cpu", "memory"];
const RESIZE_POLICIES = ["NotRequired", "RestartContainer"];

/** Upstream's validateResizePolicy. */
function validateResizePolicy(list: unknown, path: string, restartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asMaps(list).forEach((p, i) => {
    const name = asString(p.resourceName);
    if (seen.has(name)) errs.push(duplicate(`${path}[${i}]`, name));
    seen.add(name);
    errs.push(...requiredOneOf(path, p.resourceName, RESIZE_RESOURCES), ...requiredOneOf(path, p.restartPolicy, RESIZE_POLICIES));
    if (restartPolicy === "Never" && p.restartPolicy !== "NotRequired") {
      errs.push(invalid(path, { value: p.restartPolicy ?? "", detail: "must be 'NotRequired' when `restartPolicy` is 'Never'" }));
    }
  });
  return errs;
}

/** Upstream's validateContainerCommon: what every kind of container must satisfy. */
export function validateContainerCommon(c: JsonMap, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(c.name);
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...dns1123Label(name).map((detail) => invalid(`${path}.name`, { value: name, detail })));
  if (!asString(c.image)) errs.push(required(`${path}.image`));
  // both policies are defaulted before validation: only a wrong value can reach here
  errs.push(...oneOf(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, ["File", "FallbackToLogsOnError"]));
  errs.push(...validatePorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`), ...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  const privileged = asMap(c.securityContext)?.privileged === true;
  const devices = namesToPaths(c.volumeDevices, "name", "devicePath");
  errs.push(...validateVolumeMounts(c.volumeMounts, `${path}.volumeMounts`, { volumes: ctx.volumes, privileged, devices }));
  errs.push(...validateVolumeDevices(c.volumeDevices, `${path}.volumeDevices`, { volumes: ctx.volumes, mounts: namesToPaths(c.volumeMounts, "name", "mountPath") }));
  errs.push(...oneOf(`${path}.imagePullPolicy`, c.imagePullPolicy, ["Always", "IfNotPresent", "Never"]));
  errs.push(...validateResources(c.resources, `${path}.resources`, ctx.claims));
  errs.push(...validateResizePolicy(c.resizePolicy, `${path}.resizePolicy`, ctx.restartPolicy));
  errs.push(...validateContainerSecurityContext(c.securityContext, `${path}.securityContext`, ctx.hostUsers));
  return errs;
}

function validateProbesAndLifecycle(c: JsonMap, path: string, gracePeriod: number | undefined): FieldError[] {
  return [
    ...validateLifecycle(c.lifecycle, `${path}.lifecycle`, gracePeriod),
    ...validateProbe(c.livenessProbe, `${path}.livenessProbe`, "livenessProbe"),
    ...validateProbe(c.readinessProbe, `${path}.readinessProbe`, "readinessProbe"),
    ...validateProbe(c.startupProbe, `${path}.startupProbe`, "startupProbe"),
  ];
}

/** Upstream's checkHostPortConflicts: one protocol/hostIP/hostPort per pod (per init container for init containers). */
export function hostPortConflicts(list: JsonMap[], path: string, indexOf: (i: number) => number = (i) => i): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    asMaps(c.ports).forEach((port, j) => {
      const hostPort = asNumber(port.hostPort);
      if (!hostPort) return;
      const key = `${asString(port.protocol)}/${asString(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${indexOf(i)}].ports[${j}].hostPort`, key));
      seen.add(key);
    });
  });
  return errs;
}

/** Upstream's validateContainers for spec.containers. */
export function validateContainers(list: JsonMap[], path: string, ctx: ContainerContext): FieldError[] {
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const at = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, at, ctx));
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
    names.add(name);
    errs.push(...validateProbesAndLifecycle(c, at, ctx.gracePeriod));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(forbidden(`${at}.restartPolicy`, "may not be set for non-init containers"));
  });
  return [...errs, ...hostPortConflicts(list, path)];
}

/** Upstream's validateInitContainers: unique names across all containers; probes only for sidecars (restartPolicy Always). */
export function validateInitContainers(list: JsonMap[], regular: JsonMap[], path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => asString(c.name)));
  list.forEach((c, i) => {
    const at = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, at, ctx));
    const sidecar = c.restartPolicy === "Always";
    if (c.restartPolicy !== undefined && c.restartPolicy !== null && !sidecar) {
      errs.push(notSupported(`${at}.restartPolicy`, { value: c.restartPolicy, supported: ["Always"] }));
    }
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
    else if (name) names.add(name);
    errs.push(...hostPortConflicts([c], path, () => i));
    if (sidecar) errs.push(...validateProbesAndLifecycle(c, at, ctx.gracePeriod));
    else {
      for (const k of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]) {
        if (asMap(c[k])) errs.push(forbidden(`${at}.${k}`, "may not be set for init containers without restartPolicy=Always"));
      }
    }
    if (asMaps(c.resizePolicy).length) errs.push(invalid(`${at}.resizePolicy`, { value: c.resizePolicy, detail: "must not be set for init containers" }));
  });
  return errs;
}
