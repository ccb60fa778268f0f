/** The etcd v3 gRPC API over a datastore backend. */
export { startEtcdServer, EMULATED_VERSION, type EtcdServer, type EtcdServerOptions } from "./server.ts";
export { etcdPackage } from "./proto.ts";
