export { cashbackForBasis, cashbackKeys, outcomeFromBalance, planCashback } from "./cashback";
export type { CashbackFacts, CashbackSource, CashbackTransaction } from "./cashback";
export { expiringAmount, storeCreditReminderDays } from "./reminder";
