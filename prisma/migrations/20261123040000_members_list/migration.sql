-- Keyset pagination of the admin's members list: one index per sort column, id breaks ties.
-- CreateIndex
CREATE INDEX "Member_shopId_pointsBalance_id_idx" ON "Member"("shopId", "pointsBalance", "id");

-- CreateIndex
CREATE INDEX "Member_shopId_lifetimeEarned_id_idx" ON "Member"("shopId", "lifetimeEarned", "id");

-- CreateIndex
CREATE INDEX "Member_shopId_createdAt_id_idx" ON "Member"("shopId", "createdAt", "id");

-- Written by hand (Prisma's schema cannot declare an expression index): a member never active
-- sorts as the oldest activity, and with no NULLs a (key, id) row comparison is one index range
-- scan. app/services/member-directory.server.ts orders by exactly this expression.
-- See docs/decisions/0023-members-list-keyset.md.
CREATE INDEX "Member_shopId_lastActivitySort_id_idx" ON "Member"("shopId", (COALESCE("lastActivityAt", '-infinity'::timestamp(3))), "id");
