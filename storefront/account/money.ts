/** Minor units to the currency's major unit (cents → dollars; yen have none), for formatCurrency. */
export function majorUnits(minor: number, currency: string): number {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return minor / 10 ** digits;
}
