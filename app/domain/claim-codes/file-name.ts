// A batch's download names, shared by the server's Content-Disposition and the admin's download
// buttons (which save a fetched blob under a name of their own choosing).

/** A file name from the batch's name: letters, digits and dashes (Fête du marché → fete-du-marche). */
export function batchFileName(batchName: string, extension: string): string {
  const slug = batchName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\w]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, 40);
  return `claim-codes-${slug || "batch"}.${extension}`;
}
