/**
 * containerd's own Images API (containerd.services.images.v1.Images) on the
 * CRI socket: image records are a name pointing at a target descriptor, so
 * one pulled image can be given another name without touching its content.
 * The CRI plugin follows image events of namespace k8s.io, so a record made
 * here becomes visible to ImageStatus under its new name.
 */
import * as grpc from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";
import protobuf from "protobufjs";
import { CriError, type CriClient } from "./client.ts";

/**
 * Written from the field numbers of containerd's api/services/images/v1/images.proto
 * and api/types/descriptor.proto. Message names are local (they never reach
 * the wire); only package and service name form the method path.
 */
const IMAGES_PROTO = `
syntax = "proto3";
package containerd.services.images.v1;

service Images {
  rpc Get(GetImageRequest) returns (GetImageResponse);
  rpc Create(CreateImageRequest) returns (CreateImageResponse);
  rpc Update(UpdateImageRequest) returns (UpdateImageResponse);
  rpc Delete(DeleteImageRequest) returns (Empty);
}

message Empty {}
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message FieldMask { repeated string paths = 1; }
message Descriptor { string media_type = 1; string digest = 2; int64 size = 3; map<string, string> annotations = 5; }
message Image {
  string name = 1; map<string, string> labels = 2; Descriptor target = 3;
  Timestamp created_at = 7; Timestamp updated_at = 8;
}
message GetImageRequest { string name = 1; }
message GetImageResponse { Image image = 1; }
message CreateImageRequest { Image image = 1; }
message CreateImageResponse { Image image = 1; }
message UpdateImageRequest { Image image = 1; FieldMask update_mask = 2; }
message UpdateImageResponse { Image image = 1; }
message DeleteImageRequest { string name = 1; bool sync = 2; }
`;

/** The namespace the CRI plugin keeps its images in. */
export const CRI_NAMESPACE = "k8s.io";

/** What an image record points at (int64 size as a decimal string). */
export interface ImageTarget {
  media_type: string;
  digest: string;
  size: string;
  annotations: Record<string, string>;
}

/** An image record of containerd's metadata store. */
export interface ImageRecord {
  name: string;
  labels: Record<string, string>;
  target: ImageTarget | null;
}

type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;
type UnaryMethod = (req: object, meta: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => void;
type ServiceCtor = new (address: string, creds: grpc.ChannelCredentials, options?: grpc.ClientOptions) => grpc.Client;

let service: ServiceCtor | undefined;

function loadService(): ServiceCtor {
  if (service) return service;
  const root = protobuf.parse(IMAGES_PROTO, { keepCase: true }).root;
  const def = fromJSON(root.toJSON(), { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(def) as unknown as { containerd: { services: { images: { v1: { Images: ServiceCtor } } } } };
  service = loaded.containerd.services.images.v1.Images;
  return service;
}

/** Image records of one containerd namespace (default k8s.io). */
export class ContainerdImages {
  readonly #client: grpc.Client;
  readonly #namespace: string;
  /** false when the channel is a CRI client's: closing it is the CRI client's job */
  readonly #ownsChannel: boolean;

  /** Connects to a socket, or shares the connection of a CRI client. */
  constructor(target: string | CriClient, namespace = CRI_NAMESPACE) {
    const socket = typeof target === "string" ? target : target.socket;
    const address = socket.startsWith("unix:") ? socket : `unix://${socket}`;
    const options: grpc.ClientOptions = typeof target === "string" ? {} : { channelOverride: target.channel };
    this.#client = new (loadService())(address, grpc.credentials.createInsecure(), options);
    this.#ownsChannel = typeof target === "string";
    this.#namespace = namespace;
  }

  #call<T>(method: string, req: object): Promise<T> {
    const fn = (this.#client as unknown as Record<string, UnaryMethod>)[method]!;
    // containerd scopes every call by this header; without it the call fails
    const meta = new grpc.Metadata();
    meta.set("containerd-namespace", this.#namespace);
    return new Promise((resolve, reject) => {
      fn.call(this.#client, req, meta, { deadline: Date.now() + 30_000 }, (err, res) => {
        if (err) reject(new CriError(`images.${method}`, err.code, err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  /** The record of that name, or null when there is none. */
  async get(name: string): Promise<ImageRecord | null> {
    try {
      return (await this.#call<{ image: ImageRecord | null }>("Get", { name })).image;
    } catch (e) {
      if (e instanceof CriError && e.notFound) return null;
      throw e;
    }
  }

  /** Points name at target (with labels), creating the record or replacing an existing one. */
  async put(record: ImageRecord): Promise<ImageRecord> {
    const image = { name: record.name, labels: record.labels, target: record.target };
    try {
      return (await this.#call<{ image: ImageRecord }>("Create", { image })).image;
    } catch (e) {
      if (!(e instanceof CriError && e.code === grpc.status.ALREADY_EXISTS)) throw e;
    }
    return (await this.#call<{ image: ImageRecord }>("Update", { image, update_mask: { paths: ["target", "labels"] } })).image;
  }

  /** Removes a record (the content stays while another record points at it); a missing one is fine. */
  async delete(name: string): Promise<void> {
    try {
      await this.#call("Delete", { name, sync: false });
    } catch (e) {
      if (!(e instanceof CriError && e.notFound)) throw e;
    }
  }

  /** Closes the channel if it is this client's own. */
  close(): void {
    if (this.#ownsChannel) this.#client.close();
  }
}
