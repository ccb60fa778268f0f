/** Content negotiation: what the client accepts, how bodies are decoded and responses encoded. */
import { promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { KindDef } from "../api/kind.ts";
import type { KubeObject } from "../api/types.ts";
import { badRequest, notAcceptable, unsupportedMediaType } from "./errors.ts";
import type { ApiRequest, ApiResponse } from "./request.ts";
import { jsonOf } from "./storage/encoded.ts";

const gzip = promisify(gzipCb);

/** Bodies larger than this are gzipped when the client allows it (upstream's threshold). */
export const GZIP_THRESHOLD = 128 * 1024;

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** Parses an Accept or Content-Type header into media types, in order. */
export function parseMediaTypes(header: string | undefined): MediaType[] {
  if (!header) return [];
  return header.split(",").map((part) => {
    const [type, ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, "");
    }
    return { type: type.toLowerCase(), params };
  });
}

/** The shape of answer the client asked for through Accept parameters. */
export type ResponseShape =
  | { as: "object"; format: "json" | "yaml" }
  | { as: "Table"; version: string; contentType: string }
  | { as: "PartialObjectMetadata" | "PartialObjectMetadataList"; version: string; contentType: string };

const SERIALIZABLE = new Set(["application/json", "*/*", "application/*", "application/yaml", "application/vnd.kubernetes.protobuf", ""]);

/** Chooses the response shape; throws NotAcceptable when nothing offered can be produced. */
export function negotiate(accept: string | undefined): ResponseShape {
  const types = parseMediaTypes(accept);
  if (types.length === 0) return { as: "object", format: "json" };
  let plain: ResponseShape | undefined;
  for (const t of types) {
    if (t.type !== "application/json" && t.type !== "*/*" && t.type !== "application/*") {
      if (t.type === "application/yaml" && !t.params.as) plain ??= { as: "object", format: "yaml" };
      continue;
    }
    const as = t.params.as;
    if (as === undefined) {
      plain ??= { as: "object", format: "json" };
      continue;
    }
    if (t.params.g !== "meta.k8s.io") continue;
    const version = t.params.v ?? "v1";
    if (version !== "v1" && version !== "v1beta1") continue;
    const contentType = `application/json;as=${as};v=${version};g=meta.k8s.io`;
    if (as === "Table") return { as: "Table", version, contentType };
    if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") return { as, version, contentType };
  }
  if (plain) return plain;
  if (types.some((t) => t.type === "application/vnd.kubernetes.protobuf" || t.type === "application/json")) {
    // a protobuf-only or unknown-"as" client still gets JSON, which every client decodes
    if (types.every((t) => !SERIALIZABLE.has(t.type))) throw notAcceptable(accept ?? "");
    return { as: "object", format: "json" };
  }
  throw notAcceptable(accept ?? "");
}

/** Decodes protobuf bodies (`k8s\0` + runtime.Unknown) into an object; src/api provides it. */
export type ProtobufDecoder = (kind: KindDef, body: Buffer) => KubeObject;

/** Decodes a request body as JSON, YAML or (through the hook) protobuf; 415 for anything else. */
export function decodeBody(req: ApiRequest, opts: { kind?: KindDef; protobuf?: ProtobufDecoder }): unknown {
  const body = req.body ?? Buffer.alloc(0);
  const type = parseMediaTypes(req.headers["content-type"])[0]?.type ?? "application/json";
  if (type === "application/vnd.kubernetes.protobuf") {
    if (!opts.protobuf || !opts.kind) throw unsupportedMediaType(type);
    return opts.protobuf(opts.kind, body);
  }
  if (type === "application/json" || type === "" || type === "*/*") return parseJson(body);
  if (type === "application/yaml" || type === "application/x-yaml" || type === "text/yaml") return parseYamlBody(body);
  throw unsupportedMediaType(type);
}

/** Parses JSON, answering 400 with the parser's complaint. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw badRequest("request body is empty");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw badRequest(`error decoding JSON body: ${(err as Error).message}`);
  }
}

/** Parses YAML, answering 400 with the parser's complaint. */
export function parseYamlBody(body: Buffer): unknown {
  if (body.length === 0) throw badRequest("request body is empty");
  try {
    return parseYaml(body.toString("utf8"));
  } catch (err) {
    throw badRequest(`error decoding YAML body: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Whether the client accepts gzip. */
export function acceptsGzip(req: Pick<ApiRequest, "headers">): boolean {
  const enc = req.headers["accept-encoding"] ?? "";
  return enc.split(",").some((e) => e.trim().split(";")[0] === "gzip");
}

export interface EncodeOptions {
  value: unknown;
  status: number;
  contentType?: string;
  format?: "json" | "yaml";
  headers?: Record<string, string>;
}

/** Encodes a whole response body, gzipped when large and allowed. */
export async function encodeResponse(req: Pick<ApiRequest, "headers">, opts: EncodeOptions): Promise<ApiResponse> {
  const value = opts.value;
  const yaml = opts.format === "yaml";
  let body = yaml ? Buffer.from(stringifyYaml(value)) : jsonOf(value);
  const headers: Record<string, string> = { ...(opts.headers ?? {}), "content-type": opts.contentType ?? (yaml ? "application/yaml" : "application/json") };
  if (body.length > GZIP_THRESHOLD && acceptsGzip(req)) {
    body = await gzip(body);
    headers["content-encoding"] = "gzip";
  }
  return { status: opts.status, headers, body };
}
