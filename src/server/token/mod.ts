/** k3s tokens: the format, the server's token files, node passwords. */
export { caHash, formatToken, generateBootstrapToken, parseToken, randomPassword, verifyCAHash } from "./format.ts";
export type { FormatOptions, ParsedToken } from "./format.ts";
export { checkTokensAgainstCA, ensureTokens, rotateServerToken, TokenMismatchError } from "./server.ts";
export type { ServerTokens, TokenCA } from "./server.ts";
export { DEFAULT_NODE_PASSWORD_FILE, ensureNodePassword, hashNodePassword, verifyNodePassword } from "./node-password.ts";
