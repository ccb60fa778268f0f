/** Probes and lifecycle handlers as upstream's validateProbe / validateLifecycle / validateHandler. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { httpHeaderName, invalid, nonNegative, required } from "../validation.ts";
import { exactlyOne, oneOf, portNumOrName } from "./common.ts";

const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];
const LIFECYCLE_HANDLERS = ["exec", "httpGet", "tcpSocket", "sleep"];

function validateHttpGet(h: JsonMap, path: string): FieldError[] {
  // path and scheme are defaulted ("/" and "HTTP"), so only a wrong value is reported here
  const errs = portNumOrName(`${path}.port`, h.port);
  errs.push(...oneOf(`${path}.scheme`, h.scheme, ["HTTP", "HTTPS"]));
  for (const header of asMaps(h.httpHeaders)) {
    const name = asString(header.name);
    errs.push(...httpHeaderName(name).map((detail) => invalid(`${path}.httpHeaders`, { value: name, detail })));
  }
  return errs;
}

function validateSleep(s: JsonMap, path: string, gracePeriod: number | undefined): FieldError[] {
  const seconds = asNumber(s.seconds) ?? 0;
  if (gracePeriod === undefined || (seconds > 0 && seconds <= gracePeriod)) return [];
  const detail = `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`;
  return [invalid(path, { value: seconds, detail })];
}

function validateHandler(h: JsonMap, path: string, opts: { kinds: string[]; gracePeriod?: number }): FieldError[] {
  const { first, errs } = exactlyOne(h, opts.kinds, { path, what: "handler type" });
  const action = asMap(first ? h[first] : undefined) ?? {};
  const p = `${path}.${first}`;
  if (first === "exec" && asArray(action.command).length === 0) errs.push(required(`${p}.command`));
  if (first === "httpGet") errs.push(...validateHttpGet(action, p));
  if (first === "tcpSocket" || first === "grpc") errs.push(...portNumOrName(`${p}.port`, action.port));
  if (first === "sleep") errs.push(...validateSleep(action, p, opts.gracePeriod));
  return errs;
}

/** Which probe a container field holds: its extra rule differs. */
export type ProbeKind = "livenessProbe" | "readinessProbe" | "startupProbe";

/** Upstream's validateLivenessProbe / validateReadinessProbe / validateStartupProbe. */
export function validateProbe(raw: unknown, path: string, kind: ProbeKind): FieldError[] {
  const probe = asMap(raw);
  if (!probe) return [];
  const errs = validateHandler(probe, path, { kinds: PROBE_HANDLERS });
  for (const k of ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"]) {
    errs.push(...nonNegative(probe[k], `${path}.${k}`));
  }
  const tgps = asNumber(probe.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, { value: tgps, detail: "must be greater than 0" }));
  const success = asNumber(probe.successThreshold);
  if (kind !== "readinessProbe" && success !== undefined && success !== 1) {
    errs.push(invalid(`${path}.successThreshold`, { value: success, detail: "must be 1" }));
  }
  if (kind === "readinessProbe" && tgps !== undefined) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, { value: tgps, detail: "must not be set for readinessProbes" }));
  }
  return errs;
}

/** Upstream's validateLifecycle: postStart and preStop each hold exactly one handler. */
export function validateLifecycle(raw: unknown, path: string, gracePeriod: number | undefined): FieldError[] {
  const lc = asMap(raw);
  if (!lc) return [];
  const errs: FieldError[] = [];
  for (const hook of ["postStart", "preStop"]) {
    const h = asMap(lc[hook]);
    if (h) errs.push(...validateHandler(h, `${path}.${hook}`, { kinds: LIFECYCLE_HANDLERS, gracePeriod }));
  }
  return errs;
}
