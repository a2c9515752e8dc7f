import { Prisma } from "@prisma/client";
import prisma from "~/db.server";

/** One node of PostgreSQL's EXPLAIN (FORMAT JSON) plan, with the fields the scale tests read. */
export type PlanNode = {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** Runs the query under EXPLAIN ANALYZE and returns every node of its plan, outermost first. */
export async function explainNodes(sql: Prisma.Sql): Promise<PlanNode[]> {
  const [row] = await prisma.$queryRaw<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>(
    Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
  );
  return nodesOf(row!["QUERY PLAN"][0]!.Plan);
}
