/** The CRI proto (the kubelet's text) as protobufjs types: for crictl's own calls and its protojson field order. */
import protobuf from "protobufjs";
import { CRI_PROTO } from "../../../kubelet/cri/mod.ts";

let root: protobuf.Root | undefined;

/** The runtime.v1 message type of that name. */
export function criType(name: string): protobuf.Type {
  if (!root) {
    root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;
    root.resolveAll();
  }
  return root.lookupType(`runtime.v1.${name}`);
}
