// `npm run flow:generate`: writes extensions/<handle>/shopify.extension.toml for every Flow trigger
// and action in the catalogs (scripts/flow-extensions/render.ts) and removes generated folders
// whose trigger or action is gone. tests/contracts/flow-extensions.test.ts fails when the files
// and the catalogs disagree.
import fs from "node:fs";
import path from "node:path";
import {
  EXTENSION_FILE,
  EXTENSIONS_DIR,
  expectedFileContent,
  extensionFilePath,
  flowExtensionSpecs,
  GENERATED_MARKER,
} from "./flow-extensions/render";

const root = path.resolve(import.meta.dirname, "..");

function readIfExists(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
}

const specs = flowExtensionSpecs();
const handles = new Set(specs.map((spec) => spec.handle));
if (handles.size !== specs.length) {
  throw new Error(
    "Two Flow triggers/actions share a handle; handles must be unique across the app.",
  );
}

let written = 0;
for (const spec of specs) {
  const relative = extensionFilePath(spec.handle);
  const file = path.join(root, relative);
  const current = readIfExists(file);
  if (current !== null && !current.startsWith(GENERATED_MARKER)) {
    throw new Error(`${relative} exists but was not generated; move it away, then regenerate.`);
  }
  const content = expectedFileContent(spec, current);
  if (content !== current) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    written += 1;
    console.info(`wrote ${relative}`);
  }
}

// Folders this script generated for a trigger or action that no longer exists.
let removed = 0;
const extensionsDir = path.join(root, EXTENSIONS_DIR);
const folders = fs.existsSync(extensionsDir)
  ? fs
      .readdirSync(extensionsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  : [];
for (const folder of folders) {
  if (handles.has(folder)) continue;
  const file = path.join(extensionsDir, folder, EXTENSION_FILE);
  if (!readIfExists(file)?.startsWith(GENERATED_MARKER)) continue;
  fs.rmSync(file);
  removed += 1;
  if (fs.readdirSync(path.dirname(file)).length === 0) {
    fs.rmdirSync(path.dirname(file));
    console.info(`removed ${EXTENSIONS_DIR}/${folder}/`);
  } else {
    console.warn(`removed ${EXTENSIONS_DIR}/${folder}/${EXTENSION_FILE}; other files remain there`);
  }
}

const triggers = specs.filter((spec) => spec.type === "flow_trigger").length;
console.info(
  `Flow extensions: ${triggers} triggers + ${specs.length - triggers} actions; ` +
    `${written} written, ${specs.length - written} unchanged, ${removed} removed.`,
);
