import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { flowTriggers } from "~/domain/events";
import { FLOW_ACTIONS } from "~/domain/flow-actions/catalog";
import {
  EXTENSION_FILE,
  EXTENSIONS_DIR,
  expectedFileContent,
  flowExtensionSpecs,
  GENERATED_MARKER,
} from "../../scripts/flow-extensions/render";
import { tomlString } from "../../scripts/flow-extensions/toml";

// extensions/<handle>/shopify.extension.toml are generated from the catalogs (npm run flow:generate).
// This test proves (1) the files are exactly what the generator writes now, (2) they say what the
// catalogs say, and (3) they pass Shopify's rules, checked below on the parsed TOML without using
// the generator. Sources, Shopify CLI at a0798d1 (2026-08-21), packages/app/src/cli/…:
//   [schemas]   models/extensions/schemas.ts (HandleSchema, UIDSchema, FieldSchema)
//   [trigger]   models/extensions/specifications/flow_trigger.ts (key regex, `name` required)
//   [action]    models/extensions/specifications/flow_action.ts (runtime_url, config page, return type)
//   [shape]     services/flow/validation.ts (validateFieldShape, validateFlowActionUrl, …)
//   [types]     services/flow/constants.ts + serialize-fields.ts (field types per extension type)
//   [loader]    models/app/loader.ts (an [[extensions]] entry is merged over the file's top level)
//   [uid]       services/app/add-uid-to-extension-toml.ts (the CLI writes a missing uid into the file)
//   [docs]      shopify.dev/docs/apps/build/flow/{triggers,actions}/reference (handle ≤ 30 characters,
//               unique across the app's extensions)
//   [catalog]   docs/event-catalog.md §2 (first trigger field is the customer)
// Rules marked (project) are this app's conventions on top of Shopify's.

const ROOT = process.cwd();
const HANDLE_MAX_LENGTH = 30; // [docs]; the CLI itself allows 50 [schemas]
const REFERENCE_TYPES = [
  "customer_reference",
  "order_reference",
  "product_reference",
  "marketing_activity_reference",
  "abandonment_reference",
  "company_reference",
  "company_contact_reference",
];
const TRIGGER_REFERENCE_TYPES = [
  "customer_reference",
  "order_reference",
  "product_reference",
  "company_reference",
  "company_contact_reference",
];
const TRIGGER_VALUE_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];
const ACTION_VALUE_TYPES = [
  "boolean",
  "email",
  "multi_line_text_field",
  "number_integer",
  "single_line_text_field",
  "url",
  "number_decimal",
];
/** Commerce-object fields are parsed strictly: no other keys [shape]. */
const REFERENCE_FIELD_KEYS = [
  "type",
  "description",
  "required",
  "marketingActivityCreateUrl",
  "marketingActivityDeleteUrl",
];
/** Action value fields are parsed strictly [shape]. */
const ACTION_VALUE_FIELD_KEYS = ["type", "key", "name", "description", "required"];
/** What Flow reads from a trigger value field [types]; anything else is a typo (project). */
const TRIGGER_VALUE_FIELD_KEYS = ["type", "key", "description"];
const TOP_LEVEL_KEYS = ["api_version", "description", "extensions", "settings"];
const BASE_EXTENSION_KEYS = ["name", "type", "handle", "uid", "description", "api_version"];
const TRIGGER_EXTENSION_KEYS = [...BASE_EXTENSION_KEYS, "schema", "settings"];
const ACTION_URL_KEYS = ["runtime_url", "validation_url", "config_page_url", "config_page_preview_url"];
const ACTION_EXTENSION_KEYS = [
  ...BASE_EXTENSION_KEYS,
  ...ACTION_URL_KEYS,
  "schema",
  "return_type_ref",
  "settings",
];

type Table = Record<string, unknown>;
const isTable = (value: unknown): value is Table =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isNonEmptyString = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0;

function unknownKeys(table: Table, allowed: readonly string[]): string[] {
  return Object.keys(table).filter((key) => !allowed.includes(key));
}

function handleIssues(handle: unknown): string[] {
  if (typeof handle !== "string" || handle.trim() === "") return ["handle is missing [schemas]"];
  const issues: string[] = [];
  if (handle.length > HANDLE_MAX_LENGTH) {
    issues.push(`handle "${handle}" is longer than ${HANDLE_MAX_LENGTH} characters [docs]`);
  }
  if (!/^[a-zA-Z0-9-]*$/.test(handle)) {
    issues.push(`handle "${handle}" may contain only alphanumerics and hyphens [schemas]`);
  }
  if (handle.startsWith("-") || handle.endsWith("-")) {
    issues.push(`handle "${handle}" must not start or end with a hyphen [schemas]`);
  }
  if (!/^[a-z0-9-]+$/.test(handle)) {
    issues.push(`handle "${handle}" must be lowercase letters, digits and hyphens (project)`);
  }
  return issues;
}

function uidIssues(uid: unknown): string[] {
  // Required (project): without it the CLI writes one into the generated file [uid].
  if (typeof uid !== "string" || uid.trim() === "") return ["uid is missing (project, [uid])"];
  const valid =
    uid.length <= 250 &&
    /^[a-zA-Z0-9-${}.()_`]*$/.test(uid) &&
    !uid.startsWith("-") &&
    !uid.endsWith("-");
  return valid ? [] : [`uid "${uid}" is not a valid extension uid [schemas]`];
}

/** validateFlowActionUrl [shape]: an absolute https URL or "/path"; no control characters. */
function actionUrlIssue(name: string, value: unknown): string | null {
  if (typeof value !== "string") return `${name} must be a string [action]`;
  let https = false;
  try {
    https = new URL(value).protocol === "https:";
  } catch {
    https = false;
  }
  if (/[\r\n\t]/.test(value)) return `${name} must not contain control characters [shape]`;
  if (value.startsWith("//")) return `${name} "${value}": relative URLs start with one slash [shape]`;
  if (!value.startsWith("/") && !https) {
    return `${name} "${value}" must be an https URL or a relative path starting with / [shape]`;
  }
  return null;
}

function fieldIssues(type: "flow_trigger" | "flow_action", field: unknown, at: string): string[] {
  if (!isTable(field) || typeof field.type !== "string") return [`${at}: needs a string type`];
  const issues: string[] = [];
  const extra = (allowed: readonly string[], source: string) => {
    const keys = unknownKeys(field, allowed);
    if (keys.length > 0) issues.push(`${at}: unexpected ${keys.join(", ")} ${source}`);
  };
  if (field.description !== undefined && typeof field.description !== "string") {
    issues.push(`${at}: description must be a string [shape]`);
  }
  if (field.required !== undefined && typeof field.required !== "boolean") {
    issues.push(`${at}: required must be a boolean [shape]`);
  }

  if (REFERENCE_TYPES.includes(field.type)) {
    const allowed = type === "flow_trigger" ? TRIGGER_REFERENCE_TYPES : REFERENCE_TYPES;
    if (!allowed.includes(field.type)) {
      issues.push(`${at}: commerce object ${field.type} is not supported on ${type} [types]`);
    }
    extra(REFERENCE_FIELD_KEYS, "on a commerce object field [shape]");
    return issues;
  }

  if (type === "flow_trigger") {
    if (field.type.startsWith("schema.")) {
      issues.push(`${at}: schema.<Type> fields need a schema file, which this app has none of`);
    } else if (!TRIGGER_VALUE_TYPES.includes(field.type)) {
      issues.push(`${at}: Field type ${field.type} is not supported on Flow Triggers [types]`);
    }
    if (typeof field.key !== "string") {
      issues.push(`${at}: key is required on non-reference fields [types]`);
    } else {
      if (!/^[a-zA-Z\s]*$/.test(field.key)) {
        issues.push(`${at}: key "${field.key}" may contain only letters and spaces [trigger]`);
      }
      if (field.key.trim() === "" || field.key.trim() !== field.key) {
        issues.push(`${at}: key "${field.key}" must be non-empty and trimmed (project)`);
      }
    }
    extra(TRIGGER_VALUE_FIELD_KEYS, "on a trigger field (project)");
    return issues;
  }

  if (!ACTION_VALUE_TYPES.includes(field.type)) {
    issues.push(`${at}: Field type ${field.type} is not supported on Flow Actions [types]`);
  }
  if (!isNonEmptyString(field.key)) issues.push(`${at}: key is required [shape]`);
  if (!isNonEmptyString(field.name)) issues.push(`${at}: name is required [shape]`);
  extra(ACTION_VALUE_FIELD_KEYS, "on an action field [shape]");
  return issues;
}

/** Every rule one Flow extension file must pass; [] when it passes. */
function flowExtensionIssues(folder: string, file: unknown): string[] {
  if (!isTable(file)) return [`${folder}: not a TOML table`];
  const issues: string[] = [];
  const topExtra = unknownKeys(file, TOP_LEVEL_KEYS);
  if (topExtra.length > 0) issues.push(`unexpected top-level ${topExtra.join(", ")}`);
  const { extensions, ...shared } = file;
  const [entry] = Array.isArray(extensions) ? extensions : [];
  if (!Array.isArray(extensions) || extensions.length !== 1 || !isTable(entry)) {
    return [`${folder}: needs exactly one [[extensions]] table (project)`];
  }
  const extension: Table = { ...shared, ...entry }; // [loader]
  const type = extension.type;
  if (type !== "flow_trigger" && type !== "flow_action") {
    return [`${folder}: type must be flow_trigger or flow_action`];
  }

  issues.push(...handleIssues(extension.handle));
  if (extension.handle !== folder) {
    issues.push(`folder name must equal the handle "${String(extension.handle)}" (project)`);
  }
  issues.push(...uidIssues(extension.uid));
  if (!isNonEmptyString(extension.name)) issues.push(`name is required [${type.slice(5)}]`);
  if (!isNonEmptyString(extension.description)) issues.push("description is required (project)");
  const allowedKeys = type === "flow_trigger" ? TRIGGER_EXTENSION_KEYS : ACTION_EXTENSION_KEYS;
  const extra = unknownKeys(extension, allowedKeys);
  if (extra.length > 0) issues.push(`unexpected ${extra.join(", ")} on a ${type}`);

  const settings = extension.settings;
  const fields: unknown[] = isTable(settings) && Array.isArray(settings.fields) ? settings.fields : [];
  fields.forEach((field, index) => issues.push(...fieldIssues(type, field, `field[${index}]`)));
  const first = fields[0];
  if (type === "flow_trigger") {
    if (!isTable(first) || first.type !== "customer_reference" || Object.keys(first).length !== 1) {
      issues.push('the first field must be { type = "customer_reference" } [catalog]');
    }
  } else {
    const customerFirst = isTable(first) && first.type === "customer_reference";
    if (!customerFirst || first.required !== true) {
      issues.push('the first field must be { type = "customer_reference", required = true } (project)');
    }
  }
  const keys = fields.flatMap((field) => (isTable(field) && field.key !== undefined ? [field.key] : []));
  if (new Set(keys).size !== keys.length) issues.push("field keys must be unique (project)");

  if (type === "flow_action") {
    if (extension.runtime_url === undefined) issues.push("runtime_url is required [action]");
    for (const name of ACTION_URL_KEYS) {
      const issue = extension[name] === undefined ? null : actionUrlIssue(name, extension[name]);
      if (issue !== null) issues.push(issue);
    }
    const configPage = extension.config_page_url ?? extension.config_page_preview_url;
    const configPageComplete =
      extension.config_page_url !== undefined &&
      extension.config_page_preview_url !== undefined &&
      extension.validation_url !== undefined;
    if (configPage !== undefined && !configPageComplete) {
      issues.push("a config page needs config_page_url, config_page_preview_url and validation_url");
    }
    if ((extension.schema === undefined) !== (extension.return_type_ref === undefined)) {
      issues.push("schema and return_type_ref go together [action]");
    }
  } else if (extension.schema !== undefined) {
    issues.push("schema is set but this app declares no schema.<Type> trigger fields (project)");
  }
  return issues.map((issue) => (issue.startsWith(`${folder}:`) ? issue : `${folder}: ${issue}`));
}

// ---------------------------------------------------------------------------------------------

interface ExtensionFile {
  folder: string;
  relative: string;
  content: string;
  parsed: Table;
}

function readExtensionFiles(): ExtensionFile[] {
  const dir = path.join(ROOT, EXTENSIONS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((folder) => {
      const relative = `${EXTENSIONS_DIR}/${folder}/${EXTENSION_FILE}`;
      const file = path.join(ROOT, relative);
      const content = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      return { folder, relative, content, parsed: parse(content) };
    });
}

function extensionEntries(file: ExtensionFile): Table[] {
  const { extensions, ...shared } = file.parsed;
  if (!Array.isArray(extensions)) return [shared];
  return extensions.map((entry) => ({ ...shared, ...(isTable(entry) ? entry : {}) }));
}

const isFlowFile = (file: ExtensionFile) =>
  file.content.startsWith(GENERATED_MARKER) ||
  extensionEntries(file).some((e) => e.type === "flow_trigger" || e.type === "flow_action");

const REGENERATE = "out of date: run `npm run flow:generate` and commit the result";
const files = readExtensionFiles();
const flowFiles = files.filter(isFlowFile);
const byFolder = new Map(flowFiles.map((file) => [file.folder, file]));
const specs = flowExtensionSpecs();
const triggers = flowTriggers();

function fileFor(handle: string): ExtensionFile {
  const file = byFolder.get(handle);
  if (file === undefined) {
    throw new Error(`${EXTENSIONS_DIR}/${handle}/${EXTENSION_FILE} is missing: ${REGENERATE}`);
  }
  return file;
}

describe("Flow extension files (extensions/*/shopify.extension.toml)", () => {
  it("every extension folder has a shopify.extension.toml that parses", () => {
    // readExtensionFiles() parsed each one already (a syntax error fails the whole file).
    expect(files.filter((file) => file.content === "").map((file) => file.relative)).toEqual([]);
  });

  it("are exactly one folder per catalog trigger and action: none missing, none stale", () => {
    const expected = [
      ...triggers.map((t) => t.trigger.handle),
      ...FLOW_ACTIONS.map((a) => a.handle),
    ].sort();
    expect(expected).toHaveLength(triggers.length + FLOW_ACTIONS.length);
    expect(flowFiles.map((file) => file.folder), REGENERATE).toEqual(expected);
  });

  it.each(specs.map((spec) => [spec.handle, spec] as const))(
    "%s is exactly what the generator writes now",
    (handle, spec) => {
      const file = fileFor(handle);
      expect(file.content, `${file.relative} is ${REGENERATE}`).toBe(
        expectedFileContent(spec, file.content),
      );
    },
  );

  it.each(triggers.map((t) => [t.trigger.handle, t.trigger] as const))(
    "trigger %s says what app/domain/events says",
    (handle, trigger) => {
      const [extension, ...others] = extensionEntries(fileFor(handle));
      expect(others).toEqual([]);
      expect(extension).toMatchObject({
        type: "flow_trigger",
        handle: trigger.handle,
        name: trigger.name,
        description: trigger.description,
      });
      expect(extension?.settings).toEqual({ fields: trigger.fields });
    },
  );

  it.each(FLOW_ACTIONS.map((a) => [a.handle, a] as const))(
    "action %s says what app/domain/flow-actions/catalog.ts says",
    (handle, action) => {
      const [extension, ...others] = extensionEntries(fileFor(handle));
      expect(others).toEqual([]);
      expect(extension).toMatchObject({
        type: "flow_action",
        handle: action.handle,
        name: action.name,
        description: action.description,
        runtime_url: action.runtimeUrl,
      });
      expect(extension?.settings).toEqual({
        fields: [{ type: "customer_reference", required: true }, ...action.fields],
      });
    },
  );

  it("pass Shopify's rules for Flow trigger and action extensions", () => {
    expect(flowFiles.length).toBeGreaterThan(0);
    expect(flowFiles.flatMap((file) => flowExtensionIssues(file.folder, file.parsed))).toEqual([]);
  });

  it("have handles and uids unique across all of the app's extensions [docs]", () => {
    const all = files.flatMap(extensionEntries);
    const handles = all.map((extension) => extension.handle);
    const uids = all.flatMap((extension) => (extension.uid === undefined ? [] : [extension.uid]));
    expect(handles.filter((handle, i) => handles.indexOf(handle) !== i)).toEqual([]);
    expect(uids.filter((uid, i) => uids.indexOf(uid) !== i)).toEqual([]);
  });
});

describe("the TOML string writer", () => {
  it.each([
    'a "quoted" \\ backslash',
    "tab\tnewline\ncarriage\r",
    "\u0000\u001f\u007f",
    "émoji 🎉 – ’ #1001 $5 ${x} 'single'",
  ])("round-trips %j through a TOML parser", (value) => {
    expect(parse(`v = ${tomlString(value)}`)).toEqual({ v: value });
  });

  it("refuses a lone surrogate, which TOML cannot hold", () => {
    expect(() => tomlString("\ud800")).toThrow(RangeError);
  });
});

describe("the Flow extension rule checker", () => {
  const trigger = (extension: Table = {}, fields: Table[] = []) => ({
    extensions: [
      {
        name: "Points added",
        type: "flow_trigger",
        handle: "loyalty-points-added",
        uid: "ce94f6da-670a-2d1f-1e6d-4c991ece95608c1521c7",
        description: "Loyalty points were credited to a member.",
        ...extension,
      },
    ],
    settings: {
      fields: [
        { type: "customer_reference" },
        { type: "number_decimal", key: "Points balance", description: "Balance." },
        ...fields,
      ],
    },
  });
  const action = (extension: Table = {}, fields: Table[] = []) => ({
    extensions: [
      {
        name: "Add loyalty points",
        type: "flow_action",
        handle: "loyalty-add-points",
        uid: "b1252086-1e0c-48da-074d-d54f224fd80fde79d897",
        description: "Credits loyalty points to the customer.",
        runtime_url: "/flow/add-points",
        ...extension,
      },
    ],
    settings: {
      fields: [
        { type: "customer_reference", required: true },
        { type: "number_integer", key: "points", name: "Points", required: true },
        ...fields,
      ],
    },
  });

  it("accepts valid files (so the rejections below are about the one thing changed)", () => {
    expect(flowExtensionIssues("loyalty-points-added", trigger())).toEqual([]);
    expect(flowExtensionIssues("loyalty-add-points", action())).toEqual([]);
    const absolute = action({ runtime_url: "https://example.com/flow/add-points" });
    expect(flowExtensionIssues("loyalty-add-points", absolute)).toEqual([]);
  });

  it.each([
    ["Loyalty_Points", /only alphanumerics and hyphens/],
    ["loyalty-points-", /start or end with a hyphen/],
    ["loyalty-points-added-to-a-member", /longer than 30/],
    ["Loyalty-Points", /lowercase/],
  ])("rejects the handle %s", (handle, message) => {
    const issues = flowExtensionIssues(handle, trigger({ handle }));
    expect(issues.join("\n")).toMatch(message);
  });

  it("rejects a handle that differs from its folder", () => {
    expect(flowExtensionIssues("points-added", trigger()).join("\n")).toMatch(/folder name/);
  });

  it.each(["points_balance", "Points2", "Points-balance"])("rejects the trigger key %s", (key) => {
    const issues = flowExtensionIssues(
      "loyalty-points-added",
      trigger({}, [{ type: "single_line_text_field", key }]),
    );
    expect(issues.join("\n")).toMatch(/only letters and spaces/);
  });

  it.each(["number_integer", "multi_line_text_field"])("rejects %s on a trigger", (type) => {
    const issues = flowExtensionIssues("loyalty-points-added", trigger({}, [{ type, key: "Days" }]));
    expect(issues.join("\n")).toMatch(`Field type ${type} is not supported on Flow Triggers`);
  });

  it("rejects a trigger whose first field is not the customer", () => {
    const file = trigger();
    file.settings.fields.reverse();
    expect(flowExtensionIssues("loyalty-points-added", file).join("\n")).toMatch(/first field/);
  });

  it("rejects an action field without key or name, or of an unknown type", () => {
    const issues = flowExtensionIssues(
      "loyalty-add-points",
      action({}, [{ type: "single_line_text_field" }, { type: "date", key: "day", name: "Day" }]),
    ).join("\n");
    expect(issues).toMatch(/field\[2\]: key is required/);
    expect(issues).toMatch(/field\[2\]: name is required/);
    expect(issues).toMatch(/Field type date is not supported on Flow Actions/);
  });

  it.each(["http://example.com/flow", "flow/add-points", "//example.com/flow", "/flow\n"])(
    "rejects the runtime_url %j",
    (runtimeUrl) => {
      const issues = flowExtensionIssues("loyalty-add-points", action({ runtime_url: runtimeUrl }));
      expect(issues.join("\n")).toMatch(/runtime_url/);
    },
  );
});
