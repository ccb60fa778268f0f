/** The datastore on an external etcd cluster: our own etcd v3 client and a Backend over it. */
export { EtcdBackend, type EtcdBackendOptions } from "./backend.ts";
export { loadTlsFiles, type TlsPaths } from "./tls.ts";
