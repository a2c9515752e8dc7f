import { deflateSync } from "node:zlib";
import { formatIsoDate, localDate } from "~/domain/calendar";
import { claimUrl, formatCode } from "~/domain/claim-codes/code";
import { qrSheetPdf } from "~/domain/claim-codes/qr-sheet";
import { batchFileName as fileNameOf } from "~/domain/claim-codes/file-name";
import { csvRecord } from "~/domain/csv";
import type { Translate } from "~/lib/i18n";
import type { batchWithCodes } from "./batches.server";

// A batch's downloads: a CSV of codes and claim URLs, and the printable QR sheet as a PDF.

type Batch = NonNullable<Awaited<ReturnType<typeof batchWithCodes>>>;

/** The last day the codes work on, in the shop's calendar (the day before expiresAt). */
function lastDay(found: Batch): string | null {
  const { expiresAt } = found.batch;
  if (!expiresAt) return null;
  return formatIsoDate(localDate(new Date(expiresAt.getTime() - 1), found.timeZone));
}

/** code, claim_url, points, expires_on (last day), claimed_at. */
export function batchCsv(found: Batch): string {
  const lines = [csvRecord(["code", "claim_url", "points", "expires_on", "claimed_at"])];
  for (const { code, claimedAt } of found.codes) {
    lines.push(
      csvRecord([
        formatCode(code),
        claimUrl(found.shopDomain, code),
        found.batch.points,
        lastDay(found),
        claimedAt?.toISOString() ?? null,
      ]),
    );
  }
  return lines.join("");
}

/** The sheet of every code of the batch (claimed ones too: a reprint matches the first print). */
export function batchPdf(found: Batch, t: Translate): Uint8Array<ArrayBuffer> {
  const until = lastDay(found);
  const points = t("claimCodes.sheet.points", { points: found.batch.points });
  const caption = until ? `${points} · ${t("claimCodes.sheet.until", { date: until })}` : points;
  const labels = found.codes.map(({ code }) => ({
    code: formatCode(code),
    url: claimUrl(found.shopDomain, code),
  }));
  return qrSheetPdf(
    labels,
    { heading: `${found.batch.name} — ${t("claimCodes.sheet.scan")}`, caption },
    (bytes) => deflateSync(bytes),
  );
}

/** A file name from the batch's name: letters, digits and dashes. */
export function batchFileName(found: Batch, extension: string) {
  return fileNameOf(found.batch.name, extension);
}
