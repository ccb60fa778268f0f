/**
 * The server's token files: server/token, server/node-token (a link to
 * token), server/agent-token and server/cred/passwd.
 */
import { lstatSync, readlinkSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { ServerConfig } from "../config.ts";
import { readIfExists, writeFileAtomic } from "../pki/files.ts";
import { caHash, formatToken, parseToken, randomPassword } from "./format.ts";

/** A token that cannot be used with this data dir; the CLI prints it as one line and exits non-zero. */
export class TokenMismatchError extends Error {
  override name = "TokenMismatchError";
}

/** What the server's token files hold. */
export interface ServerTokens {
  /** K10<hash>::server:<password> */
  token: string;
  /** K10<hash>::node:<password>, or the server token when no --agent-token was given */
  agentToken: string;
  serverPassword: string;
  agentPassword: string;
  caHash: string;
  tokenPath: string;
  nodeTokenPath: string;
  agentTokenPath: string;
  /** CSV `password,user,uid,group` the supervisor and API check node/server basic auth against */
  passwdPath: string;
}

/** The CA the token files must match, as `ensureServerPKI` returns it. */
export interface TokenCA {
  serverCA: { certPEM: string };
}

function checkHash(given: string, expected: string, what: string): void {
  const parsed = parseToken(given);
  if (parsed.caHash !== undefined && parsed.caHash !== expected) {
    throw new TokenMismatchError(`${what} ca hash ${parsed.caHash} does not match the cluster ca hash ${expected}`);
  }
}

/** Throws a TokenMismatchError when --token/--agent-token name a CA other than the one in the data dir; writes nothing. */
export function checkTokensAgainstCA(config: ServerConfig): void {
  const caPEM = readIfExists(join(config.dataDir, "server", "tls", "server-ca.crt"));
  for (const [value, what] of [
    [config.token, "token"],
    [config.agentToken, "agent token"],
  ] as const) {
    if (!value) continue;
    if (caPEM === undefined) {
      if (parseToken(value).caHash !== undefined) {
        throw new TokenMismatchError(`${what} names ca hash ${parseToken(value).caHash} but ${config.dataDir} has no server ca yet; pass the bare secret instead`);
      }
      continue;
    }
    checkHash(value, caHash(caPEM), what);
  }
}

function ensureLink(linkPath: string, target: string): void {
  try {
    const st = lstatSync(linkPath);
    if (st.isSymbolicLink() && readlinkSync(linkPath) === target) return;
    unlinkSync(linkPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  symlinkSync(target, linkPath);
}

function existingPassword(path: string, expectedHash: string): string | undefined {
  const text = readIfExists(path);
  if (text === undefined || text.trim() === "") return undefined;
  checkHash(text, expectedHash, `${path}`);
  return parseToken(text).password;
}

/** Creates or checks the token files; a token that disagrees with the data dir throws before anything is written. */
export async function ensureTokens(config: ServerConfig, pki: TokenCA): Promise<ServerTokens> {
  const serverDir = join(config.dataDir, "server");
  const hash = caHash(pki.serverCA.certPEM);
  const tokenPath = join(serverDir, "token");
  const nodeTokenPath = join(serverDir, "node-token");
  const agentTokenPath = join(serverDir, "agent-token");
  const passwdPath = join(serverDir, "cred", "passwd");
  if (config.token) checkHash(config.token, hash, "token");
  if (config.agentToken) checkHash(config.agentToken, hash, "agent token");

  const storedServer = existingPassword(tokenPath, hash);
  const givenServer = config.token ? parseToken(config.token).password : undefined;
  if (storedServer !== undefined && givenServer !== undefined && storedServer !== givenServer) {
    throw new TokenMismatchError(`the given token does not match the token already stored in ${tokenPath}; use that token or rotate it with k3s token rotate`);
  }
  const serverPassword = storedServer ?? givenServer ?? randomPassword();

  const storedAgent = readIfExists(agentTokenPath) !== undefined ? existingPassword(agentTokenPath, hash) : undefined;
  const givenAgent = config.agentToken ? parseToken(config.agentToken).password : undefined;
  const agentPassword = givenAgent ?? storedAgent ?? serverPassword;

  const token = formatToken(hash, serverPassword);
  const agentToken = agentPassword === serverPassword ? token : formatToken(hash, agentPassword, { username: "node" });
  if (readIfExists(tokenPath)?.trim() !== token) writeFileAtomic(tokenPath, `${token}\n`, { mode: 0o600 });
  ensureLink(nodeTokenPath, "token");
  if (readIfExists(agentTokenPath)?.trim() !== agentToken) writeFileAtomic(agentTokenPath, `${agentToken}\n`, { mode: 0o600 });
  const passwd = `${serverPassword},server,server,k3s:server\n${agentPassword},node,node,k3s:agent\n`;
  if (readIfExists(passwdPath) !== passwd) writeFileAtomic(passwdPath, passwd, { mode: 0o600 });
  return { token, agentToken, serverPassword, agentPassword, caHash: hash, tokenPath, nodeTokenPath, agentTokenPath, passwdPath };
}

/** Replaces the server password (k3s token rotate): token, agent token when it was the same, passwd; returns the new tokens. */
export function rotateServerToken(tokens: ServerTokens, newPassword: string): ServerTokens {
  if (!/^[^\s:,]{8,}$/.test(newPassword)) throw new Error("new token password must be at least 8 characters without spaces, colons or commas");
  const token = formatToken(tokens.caHash, newPassword);
  const agentFollows = tokens.agentPassword === tokens.serverPassword;
  const agentPassword = agentFollows ? newPassword : tokens.agentPassword;
  const agentToken = agentFollows ? token : tokens.agentToken;
  writeFileAtomic(tokens.tokenPath, `${token}\n`, { mode: 0o600 });
  writeFileAtomic(tokens.agentTokenPath, `${agentToken}\n`, { mode: 0o600 });
  writeFileAtomic(tokens.passwdPath, `${newPassword},server,server,k3s:server\n${agentPassword},node,node,k3s:agent\n`, { mode: 0o600 });
  return { ...tokens, token, agentToken, serverPassword: newPassword, agentPassword };
}
