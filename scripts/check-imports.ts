// `npm run check:imports`: the layers of ADR 0053 (routes → services → domain), checked on every file under app/.
// Fails on any import cycle (type-only imports included: a cycle of types is still a tangle a
// reader must hold in their head) and on an import that points the wrong way between layers.
// A small script rather than eslint-plugin-import's no-cycle: it reads ~500 files in well under a
// second, needs no resolver plugin for the `~/` alias, and names every file of a cycle at once.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "..");
const appDir = path.join(root, "app");
const extensions = [".ts", ".tsx", "/index.ts", "/index.tsx"];

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

function resolve(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith("~/")) base = path.join(appDir, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return undefined; // a package
  if (existsSync(base) && statSync(base).isFile()) return base;
  for (const ext of extensions) if (existsSync(base + ext)) return base + ext;
  throw new Error(`${rel(from)}: cannot resolve "${specifier}"`);
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const rel = (file: string) => path.relative(root, file);

/** Layer rules: files matching `from` may not import files matching `to` (README "How it is built", ADR 0053). */
const forbidden: { from: RegExp; to: RegExp; why: string }[] = [
  {
    from: /^app\/domain\//,
    to: /^app\/(services|integrations|jobs|routes|lib|components|db)\/|^app\/[^/]+\.server\.tsx?$/,
    why: "the domain is pure: it imports only the domain",
  },
  {
    from: /^app\/(services|integrations|lib|domain|components)\//,
    to: /^app\/jobs\/(workers|start)/,
    why: "only entry points start workers; services send jobs through app/jobs/queues",
  },
  {
    from: /^app\/jobs\/queues/,
    to: /^app\/(services|integrations|routes)\//,
    why: "the send side imports no services, so services can import it without a cycle",
  },
  {
    from: /^app\/(services|integrations|domain|jobs|lib)\//,
    to: /^app\/routes\//,
    why: "routes are the top layer: nothing imports a route",
  },
  {
    from: /^app\/integrations\//,
    to: /^app\/services\//,
    why: "integrations do outbound I/O only; services call them, never the other way",
  },
];

const files = listFiles(appDir);
const graph = new Map<string, string[]>();
const problems: string[] = [];
for (const file of files) {
  const targets: string[] = [];
  for (const specifier of importsOf(file)) {
    const target = resolve(file, specifier);
    if (!target || !target.startsWith(appDir)) continue;
    targets.push(target);
    for (const rule of forbidden) {
      if (rule.from.test(rel(file)) && rule.to.test(rel(target))) {
        problems.push(`${rel(file)} → ${rel(target)}: ${rule.why}`);
      }
    }
  }
  graph.set(file, targets);
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
const index = new Map<string, number>();
const low = new Map<string, number>();
const onStack = new Set<string>();
const stack: string[] = [];
const cycles: string[][] = [];
let counter = 0;
function connect(file: string) {
  index.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  onStack.add(file);
  for (const next of graph.get(file) ?? []) {
    if (!index.has(next)) {
      connect(next);
      low.set(file, Math.min(low.get(file)!, low.get(next)!));
    } else if (onStack.has(next)) {
      low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
  }
  if (low.get(file) === index.get(file)) {
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component);
  }
}
for (const file of files) if (!index.has(file)) connect(file);

for (const cycle of cycles) {
  problems.push(
    `import cycle of ${cycle.length} files:\n    ${cycle.map(rel).sort().join("\n    ")}`,
  );
}
if (problems.length > 0) {
  console.error(`check:imports: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.info(`check:imports: ${files.length} files, no cycles, every arrow points down`);
