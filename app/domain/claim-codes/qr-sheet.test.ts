import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { textWidth, winAnsi, writePdf, PageCanvas } from "./pdf";
import { LABELS_PER_PAGE, qrRuns, qrSheetPdf } from "./qr-sheet";

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

function labels(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const code = `AAAA-BBBB-${String(i).padStart(4, "2")}`;
    return { code, url: `https://shop.myshopify.com/apps/loyalty/claim?code=${code}` };
  });
}

describe("the QR sheet PDF", () => {
  it("is a PDF whose xref points at every object, one page per 12 labels", () => {
    const pdf = latin1(qrSheetPdf(labels(13), { heading: "Fair", caption: "500 points" }));
    expect(pdf.startsWith("%PDF-1.4\n")).toBe(true);
    expect(pdf.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(pdf).toContain("/Type /Pages /Count 2");
    expect(pdf.match(/\/Type \/Page /g)).toHaveLength(2);
    const startxref = Number(/startxref\n(\d+)/.exec(pdf)?.[1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe("xref");
    const entries = pdf
      .slice(startxref)
      .split("\n")
      .slice(3)
      .filter((l) => / n $/.test(l));
    entries.forEach((line, i) => {
      const offset = Number(line.slice(0, 10));
      expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    // Each stream's /Length is its byte count.
    for (const m of pdf.matchAll(/\/Length (\d+) >>\nstream\n/g)) {
      const start = (m.index ?? 0) + m[0].length;
      expect(pdf.slice(start + Number(m[1]), start + Number(m[1]) + 10)).toBe("\nendstream");
    }
  });

  it("prints each code under its QR code, and the QR code is the URL's, module for module", () => {
    const [label] = labels(1);
    const pdf = latin1(qrSheetPdf([label!], { heading: "Fair", caption: "500 points" }));
    expect(pdf).toContain(`(${label!.code}) Tj`);
    expect(pdf).toContain("(500 points) Tj");
    // The runs cover exactly the dark modules of the URL's QR code.
    const { modules } = QRCode.create(label!.url, { errorCorrectionLevel: "M" });
    const { runs, size } = qrRuns(label!.url);
    expect(size).toBe(modules.size + 8);
    const dark = new Set<string>();
    for (const r of runs)
      for (let c = r.col; c < r.col + r.w; c++) dark.add(`${r.row - 4},${c - 4}`);
    let expected = 0;
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) {
          expected++;
          expect(dark.has(`${row},${col}`)).toBe(true);
        }
      }
    }
    expect(dark.size).toBe(expected);
    for (const r of runs) expect(pdf).toContain(`${r.col} ${r.row} ${r.w} 1 re`);
  });

  it("holds 12 labels a page", () => {
    expect(LABELS_PER_PAGE).toBe(12);
    const pdf = latin1(qrSheetPdf(labels(24), { heading: "x", caption: "y" }));
    expect(pdf).toContain("/Count 2");
  });

  it("writes text in WinAnsi, escaping PDF string delimiters, and centres by the font's widths", () => {
    expect(winAnsi("Café — 5 € (x)")).toBe("Caf\xe9 \x97 5 \x80 (x)");
    expect(winAnsi("日本")).toBe("??");
    const page = new PageCanvas();
    page.centredText("a(b)\\", 100, 10, 10, "regular");
    const pdf = latin1(writePdf({ width: 200, height: 100, title: "t", pages: [page] }));
    expect(pdf).toContain("(a\\(b\\)\\\\) Tj");
    // "AAAA" in Helvetica-Bold at 10 pt: 4 × 722 / 1000 × 10.
    expect(textWidth("AAAA", 10, "bold")).toBeCloseTo(28.88);
  });
});
