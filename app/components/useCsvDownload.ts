import { useState } from "react";

/**
 * Downloads a file through fetch (App Bridge adds the session token to same-origin requests
 * inside Shopify admin), then saves it from a blob: a plain link would arrive without a token.
 */
export function useCsvDownload() {
  const [failed, setFailed] = useState(false);
  const [loading, setLoading] = useState<string | null>(null);
  const download = async (path: string, fileName: string) => {
    setFailed(false);
    setLoading(path);
    try {
      const response = await fetch(path);
      if (!response.ok) throw new Error(String(response.status));
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      link.click();
      URL.revokeObjectURL(url);
    } catch {
      setFailed(true);
    } finally {
      setLoading(null);
    }
  };
  return { download, loading: loading !== null, loadingPath: loading, failed };
}
