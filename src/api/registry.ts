/** The built-in kinds and the schema registry they share. */
import type { KindDef, SchemaRegistry } from "./kind.ts";
import { appsKinds } from "./kinds/apps.ts";
import { batchKinds } from "./kinds/batch.ts";
import { clusterKinds } from "./kinds/cluster.ts";
import { controlKinds } from "./kinds/control.ts";
import { coreKinds } from "./kinds/core.ts";
import { withDescriptions } from "./descriptions/mod.ts";
import { generatedDefinitions } from "./schemas/index.ts";

/** Every kind upstream 1.32 serves by default, as data. */
export function builtinKinds(): KindDef[] {
  return [...coreKinds(), ...appsKinds(), ...batchKinds(), ...clusterKinds(), ...controlKinds()];
}

/** Every definition the built-in kinds reference, keyed by upstream's OpenAPI names. */
export function builtinSchemas(): SchemaRegistry {
  return withDescriptions(structuredClone(generatedDefinitions));
}
