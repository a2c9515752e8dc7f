/**
 * Fault injection for tests and the sandbox: make the next request(s) touching a root field fail
 * the ways Shopify can fail, so callers can prove they end in a consistent state. Faults are queued
 * on the store's AdminApiState (`store.adminApi.injectFault(...)`) and consumed in order.
 */
import { Kind, type OperationDefinitionNode } from "graphql";

export interface InjectedFault {
  /** Root field the request must contain, e.g. "discountCodeBasicCreate" or "codeDiscountNodeByCode". */
  field: string;
  /**
   * userErrors: the field answers with a userError (nothing runs);
   * throttled: HTTP 200 with a THROTTLED error (nothing runs);
   * http500: HTTP 500 (the request runs first when `applied`);
   * timeout: the answer is held back `delayMs` (the request runs first when `applied`, otherwise
   * it is answered 504 after the delay without running).
   */
  kind: "userErrors" | "throttled" | "http500" | "timeout";
  applied?: boolean;
  delayMs?: number;
  /** How many matching requests fail; 1 by default. */
  times?: number;
}

export class FaultQueue {
  private readonly faults: (InjectedFault & { left: number })[] = [];

  inject(fault: InjectedFault) {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clear() {
    this.faults.length = 0;
  }

  /** The first fault for one of these root fields, consumed once. */
  take(rootFields: readonly string[]): InjectedFault | undefined {
    const index = this.faults.findIndex((f) => rootFields.includes(f.field));
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

export function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [s.name.value] : [],
  );
}

/** `data` for a userErrors fault: the field's selections null, one userError. */
export function userErrorsData(operation: OperationDefinitionNode, field: string) {
  const data: Record<string, unknown> = {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const key = selection.alias?.value ?? selection.name.value;
    if (selection.name.value !== field) {
      data[key] = null;
      continue;
    }
    const payload: Record<string, unknown> = {};
    for (const sub of selection.selectionSet?.selections ?? []) {
      if (sub.kind === Kind.FIELD) payload[sub.alias?.value ?? sub.name.value] = null;
    }
    payload.userErrors = [
      { field: null, message: "Injected failure (stand-in fault)", code: "INVALID" },
    ];
    data[key] = payload;
  }
  return data;
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
