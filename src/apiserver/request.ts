/**
 * The API server's transport-free request and response. The HTTPS front end
 * turns an http.IncomingMessage into an ApiRequest (after authentication);
 * the in-process client transport builds one directly. Both get the same
 * answer from ApiHandler.
 */
import type { UserInfo } from "../api/types.ts";

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
  /** path without the query, e.g. /api/v1/namespaces/default/pods */
  path: string;
  query: URLSearchParams;
  /** lower-case header names */
  headers: Record<string, string | undefined>;
  body?: Buffer;
  /** the authenticated user (already impersonated, when asked) */
  user: UserInfo;
  /** aborted when the client goes away */
  signal: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** a whole body, or a stream whose chunks must be flushed as they come (watch, logs) */
  body?: Buffer | AsyncIterable<Buffer>;
}

/** The API server's core: routing, authorization, admission, storage. */
export type ApiHandler = (req: ApiRequest) => Promise<ApiResponse>;
