import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

/** A deployed Flow trigger as Shopify knows it: from the app's extensions/<handle> TOML. */
export interface FlowTriggerSpec {
  handle: string;
  hasCustomer: boolean;
  fields: { key: string; type: string }[];
}

interface TriggerToml {
  extensions?: { type?: string; handle?: string }[];
  settings?: { fields?: { type: string; key?: string }[] };
}

/** Reads every flow_trigger extension under `dir` (the repository's extensions/ by default). */
export function loadFlowTriggerSpecs(
  dir = path.resolve("extensions"),
): Map<string, FlowTriggerSpec> {
  const specs = new Map<string, FlowTriggerSpec>();
  for (const folder of fs.readdirSync(dir)) {
    const file = path.join(dir, folder, "shopify.extension.toml");
    if (!fs.existsSync(file)) continue;
    const toml = parse(fs.readFileSync(file, "utf8")) as TriggerToml;
    const extension = toml.extensions?.[0];
    if (extension?.type !== "flow_trigger" || !extension.handle) continue;
    const fields = toml.settings?.fields ?? [];
    specs.set(extension.handle, {
      handle: extension.handle,
      hasCustomer: fields.some((f) => f.type === "customer_reference"),
      fields: fields.filter((f) => f.key).map((f) => ({ key: f.key!, type: f.type })),
    });
  }
  return specs;
}

/**
 * What Flow would refuse in a trigger payload: an unknown handle, a missing customer_id, a key the
 * trigger does not declare, or a value of the wrong type. Shopify's exact wording is not published;
 * these messages are the stand-in's own.
 */
export function flowPayloadProblems(
  spec: FlowTriggerSpec | undefined,
  payload: Record<string, unknown>,
) {
  if (!spec) return ["Trigger handle not found among the app's flow_trigger extensions"];
  const problems: string[] = [];
  const declared = new Map(spec.fields.map((f) => [f.key, f.type]));
  if (spec.hasCustomer && typeof payload.customer_id !== "number") {
    problems.push("customer_id must be the customer's numeric id");
  }
  for (const [key, value] of Object.entries(payload)) {
    if (key === "customer_id") continue;
    const type = declared.get(key);
    if (!type) problems.push(`"${key}" is not a field of trigger ${spec.handle}`);
    else if (!matchesType(type, value)) problems.push(`"${key}" must be a ${type}`);
  }
  return problems;
}

function matchesType(type: string, value: unknown) {
  if (type === "number_decimal") return typeof value === "number" && Number.isFinite(value);
  if (type === "boolean") return typeof value === "boolean";
  return typeof value === "string";
}
