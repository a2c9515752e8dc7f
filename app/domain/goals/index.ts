// Goals (issue #23): bonus points for the Nth order and for a spend goal within a window, owed
// once per member and goal on the member's order facts. Pure: `now` and the orders are inputs.
export { countedOrders, goalBonusKey, goalsOwed, orderCounts } from "./owed";
export type { GoalOwed } from "./owed";
