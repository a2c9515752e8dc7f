import QRCode from "qrcode";
import { fitText, PageCanvas, writePdf } from "./pdf";

// The printable sheet of a batch (issue #23): A4 pages of 3 × 4 labels, each a QR code of the
// code's claim URL with the code printed under it and the points (and last day) under that.
// Dashed grey lines around each label are where to cut. A4 is 595 × 842 pt; the labels sit in
// 523 × 720 pt, so the sheet also prints on US Letter at 100 %.

export const PAGE = { width: 595, height: 842 } as const;
const COLUMNS = 3;
const ROWS = 4;
export const LABELS_PER_PAGE = COLUMNS * ROWS;
const LABEL = { width: 174, height: 180 } as const;
const GRID = {
  left: (PAGE.width - COLUMNS * LABEL.width) / 2,
  top: PAGE.height - (PAGE.height - ROWS * LABEL.height) / 2 + 12,
};
/** The QR code's side including its quiet zone (4 modules each side, as the standard asks). */
const QR_SIDE = 124;
const QUIET = 4;

export interface SheetLabel {
  /** As printed: K7QF-M2XR-9PDA. */
  code: string;
  url: string;
}

export interface SheetText {
  /** Each label's line under the code, e.g. "500 points · until 2027-06-30". */
  caption: string;
  /** At the top of each page, e.g. the batch's name. */
  heading: string;
}

/**
 * A QR code's dark modules as horizontal runs (one rectangle each), in module coordinates with
 * the quiet zone added. Error correction M: a crease or a smudge still scans.
 */
export function qrRuns(text: string): {
  size: number;
  runs: { col: number; row: number; w: number }[];
} {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const runs: { col: number; row: number; w: number }[] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push({ col: start + QUIET, row: row + QUIET, w: col - start });
        start = -1;
      }
    }
  }
  return { size: modules.size + QUIET * 2, runs };
}

/** The sheet as a PDF file. */
export function qrSheetPdf(
  labels: readonly SheetLabel[],
  text: SheetText,
  deflate?: (bytes: Uint8Array) => Uint8Array,
): Uint8Array<ArrayBuffer> {
  const pages: PageCanvas[] = [];
  labels.forEach((label, i) => {
    const slot = i % LABELS_PER_PAGE;
    if (slot === 0) {
      const page = new PageCanvas();
      page.centredText(
        fitText(text.heading, PAGE.width - 72, 11, "bold"),
        PAGE.width / 2,
        PAGE.height - 30,
        11,
        "bold",
      );
      pages.push(page);
    }
    const page = pages[pages.length - 1];
    if (!page) return;
    const left = GRID.left + (slot % COLUMNS) * LABEL.width;
    const top = GRID.top - Math.floor(slot / COLUMNS) * LABEL.height;
    page.strokeRect(left, top - LABEL.height, LABEL.width, LABEL.height, 0.75, 3);
    const qr = qrRuns(label.url);
    const unit = QR_SIDE / qr.size;
    const cx = left + LABEL.width / 2;
    page.fillCells(cx - QR_SIDE / 2, top - 6, unit, qr.runs);
    page.centredText(label.code, cx, top - QR_SIDE - 20, 14, "bold");
    page.centredText(
      fitText(text.caption, LABEL.width - 12, 8, "regular"),
      cx,
      top - QR_SIDE - 36,
      8,
      "regular",
    );
  });
  return writePdf({ width: PAGE.width, height: PAGE.height, title: text.heading, pages, deflate });
}
