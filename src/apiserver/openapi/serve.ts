/**
 * Serving /openapi/v3 and its documents as kube-apiserver does: ETag and
 * If-None-Match, immutable caching when the URL carries the current hash,
 * a 301 to the current hash when it carries an old one.
 */
import type { Status } from "../../api/types.ts";
import type { ApiResponse } from "../request.ts";
import type { OpenApiDocument, OpenApiV3Documents } from "./build.ts";

/** The parts of a request OpenAPI serving looks at. */
export interface OpenApiRequest {
  path: string;
  query: URLSearchParams;
  /** lower-case names */
  headers: Record<string, string | undefined>;
}

function status(code: number, reason: string, message: string): ApiResponse {
  const body: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  return { status: code, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) };
}

function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0].trim().toLowerCase();
    return type === "application/json" || type === "*/*" || type === "application/*";
  });
}

function etagMatches(ifNoneMatch: string | undefined, hash: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === `"${hash}"` || t.trim() === "*");
}

function serveDocument(doc: OpenApiDocument, req: OpenApiRequest, immutable: boolean): ApiResponse {
  const headers: Record<string, string> = { "content-type": "application/json", etag: `"${doc.hash}"`, vary: "Accept" };
  if (immutable) {
    headers["cache-control"] = "public, immutable";
    headers.expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
  }
  if (etagMatches(req.headers["if-none-match"], doc.hash)) return { status: 304, headers };
  return { status: 200, headers, body: doc.body };
}

/** Answers /openapi/v2 and /openapi/v3[/...]; undefined for any other path. */
export function serveOpenApi(docs: OpenApiV3Documents, req: OpenApiRequest): ApiResponse | undefined {
  const path = req.path.replace(/\/+$/, "");
  if (path === "/openapi/v2") {
    // kubectl asks v2 only as protobuf and only when v3 is missing; v3 is what we serve
    return status(404, "NotFound", "the server could not find the requested resource: /openapi/v2 is not served, use /openapi/v3");
  }
  if (path !== "/openapi/v3" && !path.startsWith("/openapi/v3/")) return undefined;
  if (!acceptsJson(req.headers.accept)) {
    return status(406, "NotAcceptable", `only application/json is served for ${path}, not "${req.headers.accept}"`);
  }
  if (path === "/openapi/v3") return serveDocument(docs.index(), req, false);
  const name = path.slice("/openapi/v3/".length);
  const doc = docs.get(name);
  if (!doc) return status(404, "NotFound", `the server could not find the requested resource: no OpenAPI document "${name}"`);
  const asked = req.query.get("hash");
  if (asked !== null && asked !== "" && asked !== doc.hash) {
    return { status: 301, headers: { location: `/openapi/v3/${name}?hash=${doc.hash}`, "content-type": "text/plain" }, body: Buffer.from("moved\n") };
  }
  return serveDocument(doc, req, asked === doc.hash);
}
