// Lot derivation is a pure rule shared with the settings simulator, so it lives in the domain.
export { deriveLots, LOT_KINDS } from "~/domain/expiry/lots";
export type { DerivedLots, LedgerFact } from "~/domain/expiry/lots";
