/** Resource kinds as data: schemas, defaults, validation, strategies, printers and allocators. */
export { builtinKinds, builtinSchemas } from "./registry.ts";
export { decodeProtobuf, definitionFor } from "./protobuf.ts";
export { bootstrapObjects, kubernetesEndpointObjects, kubernetesServiceIP, type ApiEndpointOptions } from "./bootstrap.ts";
export { InvalidObjectError } from "./errors.ts";
export { ServiceAllocators, serviceAllocatorsFor, nodePortsOf, type ServiceAllocatorsOptions } from "./allocators/services.ts";
export { withServiceAllocation } from "./services.ts";
export { parseCidr, cidrContains, nthIp, type Cidr } from "./allocators/ip.ts";
export { podPhaseOf, podStatusCells, qosClassOf, defaultPullPolicy } from "./pods.ts";
export { humanDuration, since, formatLabelSelector, formatLabels } from "./printing.ts";
export { selectorMatches, dns1123Label, dns1123Subdomain, dns1035Label } from "./validation.ts";
export { definitionPrefix } from "./kinds/define.ts";
export { protobufInlines, pointerFields } from "./schemas/index.ts";
export { eventFromCore, eventToCore, hpaV1ToV2, hpaV2ToV1 } from "./conversion.ts";
export { AllocationRepair, startServiceAllocationRepair, storedServiceVia, type AllocationRepairOptions, type RepairReport } from "./allocators/repair.ts";
