/**
 * Finds the Admin GraphQL documents the app sends and checks them against Shopify's schema for
 * the app's API version. Documents are template literals whose text starts with `#graphql`
 * (Shopify's convention, which editors use for highlighting) or that are tagged `gql`/`graphql`.
 * Parsing uses the TypeScript compiler, so backticks in comments or strings cannot confuse it.
 * The schema and scope logic live in sandbox/shopify/admin-graphql/schema.ts, shared with the
 * Shopify stand-in.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "graphql";
import ts from "typescript";
import type { AccessRequirement, AdminSchema, ShopifyGraphqlError } from "../../sandbox/shopify/admin-graphql/index";
import {
  documentAccessRequirements,
  missingAccess,
  validateAdminDocument,
} from "../../sandbox/shopify/admin-graphql/index";

export const REPO_ROOT = new URL("../../", import.meta.url).pathname;

export interface AppToml {
  /** `[access_scopes] scopes`, split on commas. */
  scopes: string[];
  /** `[webhooks] api_version`. */
  apiVersion: string | null;
}

/** Reads the two settings this check needs; enough TOML for shopify.app.toml's flat keys. */
export function parseAppToml(text: string): AppToml {
  let section = "";
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+|\s+$/g, "");
    const header = /^\[\[?\s*([\w.-]+)\s*\]\]?/.exec(line);
    if (header?.[1]) {
      section = header[1];
      continue;
    }
    const pair = /^([\w-]+)\s*=\s*"([^"]*)"/.exec(line);
    if (pair?.[1] && pair[2] !== undefined) values.set(`${section}.${pair[1]}`, pair[2]);
  }
  const scopes = values.get("access_scopes.scopes") ?? "";
  return {
    scopes: scopes
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    apiVersion: values.get("webhooks.api_version") ?? null,
  };
}

export function readAppToml(path = join(REPO_ROOT, "shopify.app.toml")): AppToml {
  return parseAppToml(readFileSync(path, "utf8"));
}

export interface FoundDocument {
  /** Repository-relative path and line, for messages. */
  where: string;
  source: string;
  /** Found by its `#graphql` marker (rather than by a `gql` tag). */
  marked: boolean;
}

export interface Problem {
  where: string;
  message: string;
  marked: boolean;
}

export interface Extraction {
  documents: FoundDocument[];
  /** GraphQL literals that cannot be checked, because they interpolate `${...}`. */
  problems: Problem[];
}

const GRAPHQL_TAGS = new Set(["gql", "graphql"]);

function isMarked(text: string): boolean {
  return /^\s*#graphql\b/.test(text);
}

/** The documents in one TypeScript source text. */
export function extractGraphqlDocuments(text: string, file: string): Extraction {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const result: Extraction = { documents: [], problems: [] };
  const where = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node) => {
    const tagged =
      ts.isTaggedTemplateExpression(node) &&
      ts.isIdentifier(node.tag) &&
      GRAPHQL_TAGS.has(node.tag.text);
    const template = ts.isTaggedTemplateExpression(node) ? node.template : node;
    if (ts.isNoSubstitutionTemplateLiteral(template) || ts.isStringLiteral(template)) {
      const inTag = ts.isTaggedTemplateExpression(node.parent) && node.parent.template === node;
      if (!inTag && (tagged || isMarked(template.text))) {
        result.documents.push({
          where: where(node),
          source: template.text,
          marked: isMarked(template.text),
        });
      }
    } else if (ts.isTemplateExpression(template) && (tagged || isMarked(template.head.text))) {
      const inTag = ts.isTaggedTemplateExpression(node.parent) && node.parent.template === node;
      if (!inTag) {
        result.problems.push({
          where: where(node),
          message:
            "a GraphQL document interpolates ${...}, so it cannot be validated; " +
            "pass values as GraphQL variables instead",
          marked: isMarked(template.head.text),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return result;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    // Tests do not ship, and may hold deliberately broken documents.
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every document under `app/` (or `dir`), plus the literals that cannot be checked. */
export function findGraphqlDocuments(dir = join(REPO_ROOT, "app")): Extraction & { files: number } {
  const files = sourceFiles(dir);
  const all: Extraction = { documents: [], problems: [] };
  for (const path of files) {
    const found = extractGraphqlDocuments(readFileSync(path, "utf8"), relative(REPO_ROOT, path));
    all.documents.push(...found.documents);
    all.problems.push(...found.problems);
  }
  return { ...all, files: files.length };
}

/** Occurrences of a `#graphql` marker right after a backtick: a cross-check for the extractor. */
export function countGraphqlMarkers(dir = join(REPO_ROOT, "app")): number {
  return sourceFiles(dir).reduce(
    (sum, path) => sum + (readFileSync(path, "utf8").match(/`\s*#graphql\b/g)?.length ?? 0),
    0,
  );
}

export interface DocumentCheck {
  errors: ShopifyGraphqlError[];
  /** Access requirements the granted scopes do not cover. */
  missing: AccessRequirement[];
}

/** Validates `source` and lists the access it needs beyond `scopes` (write_x covers read_x). */
export function checkDocument(admin: AdminSchema, source: string, scopes: readonly string[]): DocumentCheck {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return { errors: [{ message: String(error) }], missing: [] };
  }
  const errors = validateAdminDocument(admin, document);
  if (errors.length > 0) return { errors, missing: [] };
  return { errors, missing: missingAccess(documentAccessRequirements(admin, document), scopes) };
}

export function describeMissing(missing: readonly AccessRequirement[]): string[] {
  return missing.map(
    (m) => `${m.coordinate}${m.fieldName && !m.coordinate.endsWith(`.${m.fieldName}`) ? ` (via ${m.fieldName})` : ""}: ${m.rule.requiredAccess || m.rule.anyOf.join(" or ")}`,
  );
}
