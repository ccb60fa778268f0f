/** The supervisor: how agents join a server (server side) and how they join (agent side). */
export { supervisorHandler, kubeletServingCert, type AgentSettings, type SupervisorOptions } from "./server.ts";
export { joinServer, type JoinOptions, type JoinResult } from "./join.ts";
