import { HELVETICA_BOLD_WIDTHS, HELVETICA_WIDTHS } from "./helvetica-widths";

// A small PDF writer for the QR sheet (ADR 0068): pages of vector rectangles and text in the two
// standard fonts every PDF reader has (Helvetica, Helvetica-Bold), nothing embedded. Pure: the
// caller may pass a compressor (zlib's deflate) for the page streams.

export type Font = "regular" | "bold";

/** One page's drawing, in PDF user space (points, origin at the bottom left). */
export class PageCanvas {
  readonly ops: string[] = [];

  /** Filled rectangles in a grid of `unit`-sized cells at (x, y): one op per rectangle. */
  fillCells(x: number, y: number, unit: number, cells: { col: number; row: number; w: number }[]) {
    // The grid's own coordinates (whole numbers) under one transform: short and exact.
    this.ops.push(`q ${num(unit)} 0 0 ${num(-unit)} ${num(x)} ${num(y)} cm`);
    for (const c of cells) this.ops.push(`${c.col} ${c.row} ${c.w} 1 re`);
    this.ops.push("f Q");
  }

  strokeRect(x: number, y: number, w: number, h: number, gray: number, dash: number) {
    this.ops.push(
      `q ${num(gray)} G 0.5 w [${dash}] 0 d ${num(x)} ${num(y)} ${num(w)} ${num(h)} re S Q`,
    );
  }

  /** Text centred on `cx`, baseline at `y`. */
  centredText(text: string, cx: number, y: number, size: number, font: Font) {
    const safe = winAnsi(text);
    const x = cx - textWidth(text, size, font) / 2;
    const name = font === "bold" ? "F2" : "F1";
    this.ops.push(`BT /${name} ${num(size)} Tf ${num(x)} ${num(y)} Td (${escape(safe)}) Tj ET`);
  }
}

/** The width of text in points, from the standard fonts' metrics. */
export function textWidth(text: string, size: number, font: Font): number {
  const widths = font === "bold" ? HELVETICA_BOLD_WIDTHS : HELVETICA_WIDTHS;
  let total = 0;
  for (const ch of winAnsi(text)) {
    const extra = EXTRA_BY_BYTE.get(ch);
    total += extra ? extra[font] : (widths[ch.charCodeAt(0)] ?? 0);
  }
  return (total * size) / 1000;
}

/**
 * WinAnsiEncoding's bytes 0x80-0x9F that names and captions use (dashes, quotes, €, …), with
 * their widths in Helvetica and Helvetica-Bold (Adobe's AFM metrics).
 */
const WIN_ANSI_EXTRA: Record<string, { byte: number; regular: number; bold: number }> = {
  "€": { byte: 0x80, regular: 556, bold: 556 },
  "…": { byte: 0x85, regular: 1000, bold: 1000 },
  "‘": { byte: 0x91, regular: 222, bold: 278 },
  "’": { byte: 0x92, regular: 222, bold: 278 },
  "“": { byte: 0x93, regular: 333, bold: 500 },
  "”": { byte: 0x94, regular: 333, bold: 500 },
  "•": { byte: 0x95, regular: 350, bold: 350 },
  "–": { byte: 0x96, regular: 556, bold: 556 },
  "—": { byte: 0x97, regular: 1000, bold: 1000 },
};
const EXTRA_BY_BYTE = new Map(
  Object.values(WIN_ANSI_EXTRA).map((extra) => [String.fromCharCode(extra.byte), extra]),
);

/**
 * Text as the fonts can show it, one character per WinAnsi byte: Latin-1 from 0x20, the extras
 * above as their bytes; anything else becomes "?".
 */
export function winAnsi(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    const code = ch.codePointAt(0) ?? 0;
    const extra = WIN_ANSI_EXTRA[ch];
    if (extra) out += String.fromCharCode(extra.byte);
    else out += (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) ? ch : "?";
  }
  return out;
}

/** Shortens text, ending it with "…", until it fits `maxWidth`. */
export function fitText(text: string, maxWidth: number, size: number, font: Font): string {
  if (textWidth(text, size, font) <= maxWidth) return text;
  let fitted = [...text];
  while (fitted.length > 0 && textWidth(`${fitted.join("")}…`, size, font) > maxWidth) {
    fitted = fitted.slice(0, -1);
  }
  return `${fitted.join("").trimEnd()}…`;
}

const escape = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
const num = (n: number) => String(Math.round(n * 100) / 100);

export interface PdfDocument {
  width: number;
  height: number;
  title: string;
  pages: PageCanvas[];
  /** Compresses a page's stream (FlateDecode); without it, streams are plain text. */
  deflate?: (bytes: Uint8Array) => Uint8Array;
}

/**
 * The file: catalog, page tree, the two fonts, then a page and its content stream per page, an
 * xref table of byte offsets and the trailer (PDF 1.4, ISO 32000-1 §7.5).
 */
export function writePdf(doc: PdfDocument): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    length += bytes.length;
  };
  const object = (id: number, body: Uint8Array | string, stream?: Uint8Array) => {
    offsets[id] = length;
    push(latin1(`${id} 0 obj\n`));
    push(typeof body === "string" ? latin1(body) : body);
    if (stream) {
      push(latin1("\nstream\n"));
      push(stream);
      push(latin1("\nendstream"));
    }
    push(latin1("\nendobj\n"));
  };
  push(latin1("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"));
  const firstPage = 6;
  const pageIds = doc.pages.map((_, i) => firstPage + i * 2);
  object(1, `<< /Type /Catalog /Pages 2 0 R >>`);
  object(
    2,
    `<< /Type /Pages /Count ${doc.pages.length} /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] >>`,
  );
  object(3, `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>`);
  object(
    4,
    `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>`,
  );
  object(5, `<< /Title (${escape(winAnsi(doc.title))}) /Producer (Loyalty & Rewards) >>`);
  doc.pages.forEach((page, i) => {
    const id = pageIds[i] ?? 0;
    object(
      id,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${doc.width} ${doc.height}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${id + 1} 0 R >>`,
    );
    const plain = latin1(page.ops.join("\n"));
    const stream = doc.deflate ? doc.deflate(plain) : plain;
    const filter = doc.deflate ? " /Filter /FlateDecode" : "";
    object(id + 1, `<< /Length ${stream.length}${filter} >>`, stream);
  });
  const xrefAt = length;
  const count = firstPage + doc.pages.length * 2;
  const rows = ["xref", `0 ${count}`, "0000000000 65535 f "];
  for (let id = 1; id < count; id++) rows.push(`${String(offsets[id]).padStart(10, "0")} 00000 n `);
  push(latin1(`${rows.join("\n")}\n`));
  push(
    latin1(`trailer\n<< /Size ${count} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`),
  );
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A string of characters 0-255 as those bytes. */
function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}
