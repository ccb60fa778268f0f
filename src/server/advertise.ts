/** Where other nodes and in-cluster clients reach this server's API. */
import type { ServerConfig } from "./config.ts";

/** The advertised API address and port (--advertise-address/--advertise-port, else the node IP and the API port). */
export function advertisedAPI(config: ServerConfig): { address: string; port: number } {
  return {
    address: config.advertiseAddress ?? config.agent.nodeIPs[0] ?? "127.0.0.1",
    port: config.advertisePort ?? config.httpsListenPort,
  };
}

/** host:port of advertisedAPI, bracketing IPv6 addresses. */
export function advertisedHostPort(config: ServerConfig): string {
  const { address, port } = advertisedAPI(config);
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}
