/**
 * Serving /openapi/v2 as kube-apiserver does: the protobuf form to clients
 * that ask for it (kubectl 1.27/1.28 and client-go's OpenAPISchema), JSON to
 * the rest, 406 when neither is acceptable; ETag / If-None-Match. The
 * document is rebuilt only when the set of kinds changes.
 */
import type { KindDef, SchemaRegistry } from "../../../api/kind.ts";
import type { Status } from "../../../api/types.ts";
import type { ApiRequest, ApiResponse } from "../../request.ts";
import type { OpenApiKind } from "../build.ts";
import { buildOpenApiV2, type OpenApiV2Document } from "./build.ts";

/** The protobuf media types kube-openapi answers (the "@" form is what client-go sends). */
const PROTOBUF_TYPES = ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"];
/** Always the "." form in the response: Go's mime parser refuses the "@" one, and client-go parses the Content-Type. */
const PROTOBUF_CONTENT_TYPE = PROTOBUF_TYPES[1];

type Form = "json" | "protobuf";

/** The first acceptable form in the client's order; undefined when none is. */
export function negotiateOpenApiV2(accept: string | undefined): Form | undefined {
  if (!accept || accept.trim() === "") return "json";
  for (const part of accept.split(",")) {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) continue;
    if (PROTOBUF_TYPES.includes(type)) return "protobuf";
    if (type === "application/json" || type === "application/*" || type === "*/*") return "json";
  }
  return undefined;
}

function failure(code: number, reason: string, message: string): ApiResponse {
  const body: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  return { status: code, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) };
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === etag);
}

function sameKinds(a: readonly KindDef[], b: readonly KindDef[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** Answers one /openapi/v2 request from a built document. */
export function serveOpenApiV2(doc: OpenApiV2Document, req: Pick<ApiRequest, "method" | "headers">): ApiResponse {
  if (req.method !== "GET" && req.method !== "HEAD") return failure(405, "MethodNotAllowed", `method ${req.method} is not allowed on /openapi/v2`);
  const form = negotiateOpenApiV2(req.headers.accept);
  if (!form) {
    return failure(406, "NotAcceptable", `only application/json and ${PROTOBUF_TYPES[0]} are served for /openapi/v2, not ${JSON.stringify(req.headers.accept)}`);
  }
  const contentType = form === "json" ? "application/json" : PROTOBUF_CONTENT_TYPE;
  const headers: Record<string, string> = { "content-type": contentType, etag: doc.etag, vary: "Accept" };
  if (etagMatches(req.headers["if-none-match"], doc.etag)) return { status: 304, headers };
  const body = form === "json" ? doc.json : doc.protobuf;
  return { status: 200, headers, body: req.method === "HEAD" ? undefined : body };
}

/** A path handler for /openapi/v2 that caches the document while getKinds returns the same kind objects. */
export function openApiV2Handler(getKinds: () => OpenApiKind[], schemas: SchemaRegistry): (req: ApiRequest) => Promise<ApiResponse> {
  let built: { kinds: OpenApiKind[]; doc: OpenApiV2Document } | undefined;
  return async (req) => {
    const path = req.path.replace(/\/+$/, "");
    if (path !== "/openapi/v2") return failure(404, "NotFound", `the server could not find the requested resource: ${path}`);
    const kinds = getKinds();
    if (!built || !sameKinds(built.kinds, kinds)) built = { kinds, doc: buildOpenApiV2(kinds, schemas) };
    return serveOpenApiV2(built.doc, req);
  };
}
