-- Keyset pagination of the admin's members list: one index per sort column, id breaks ties.
-- CreateIndex
CREATE INDEX "Member_shopId_pointsBalance_id_idx" ON "Member"("shopId", "pointsBalance", "id");

-- CreateIndex
CREATE INDEX "Member_shopId_lifetimeEarned_id_idx" ON "Member"("shopId", "lifetimeEarned", "id");

-- CreateIndex
CREATE INDEX "Member_shopId_createdAt_id_idx" ON "Member"("shopId", "createdAt", "id");

-- CreateIndex (NULLS LAST added by hand: members never active sort after every active one, and
-- Prisma's schema cannot express it; see docs/decisions/0023-members-list-keyset.md)
CREATE INDEX "Member_shopId_lastActivityAt_id_idx" ON "Member"("shopId", "lastActivityAt" DESC NULLS LAST, "id" DESC);
