// The small piece of TOML the Flow extension files need, written by hand so the output layout
// (key order, blank lines, indentation, comments) is fixed and reviewable. The contract test
// parses every generated file with smol-toml and compares it with the data it came from, so a
// writer bug cannot slip through.

export type TomlScalar = string | boolean | number;

/** One `key = value` table body, in the given key order; undefined values are left out. */
export type TomlEntries = readonly (readonly [key: string, value: TomlScalar | undefined])[];

/** A TOML basic string: quotes, backslashes and every control character escaped. */
export function tomlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff) {
      // A lone surrogate cannot be written in TOML (only Unicode scalar values are allowed).
      throw new RangeError(`Cannot write a lone surrogate to TOML: ${JSON.stringify(value)}`);
    } else out += char;
  }
  return `${out}"`;
}

function tomlScalar(value: TomlScalar): string {
  if (typeof value === "string") return tomlString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (!Number.isSafeInteger(value))
    throw new RangeError(`Only safe integers are written: ${value}`);
  return String(value);
}

/** Keys here are fixed identifiers chosen by the renderer (bare keys), never catalog data. */
export function tomlEntries(entries: TomlEntries, indent = ""): string[] {
  return entries.flatMap(([key, value]) => {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new RangeError(`Not a bare TOML key: ${key}`);
    return value === undefined ? [] : [`${indent}${key} = ${tomlScalar(value)}`];
  });
}
