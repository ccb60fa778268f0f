/** CustomResourceDefinitions: the controller that serves them, and the schema machinery custom resources go through. */
export { startCrdController, isEstablished } from "./controller.ts";
export type { CrdController, CrdControllerOptions } from "./controller.ts";
export { customResourceKinds, storageVersionOf } from "./kinds.ts";
export type { CustomResourceKinds, CustomResourceKindOptions } from "./kinds.ts";
export { validateAgainstSchema } from "./validate.ts";
export { pruneObject, defaultObject } from "./structural.ts";
export { structuralErrors } from "./schemacheck.ts";
export { printerColumns, parseJsonPath, lookupPath } from "./printer.ts";
export { CLEANUP_FINALIZER } from "./types.ts";
export type { Crd, CrdSpec, CrdVersion, CrdNames, CrdStatus, CrdCondition, PrinterColumnSpec, Schema } from "./types.ts";
