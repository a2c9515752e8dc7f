-- Invitations reach the friend (ADR 0056): the address the advocate typed is kept until the
-- invitation is delivered to the email platform, or 7 days at most, then erased (the hash stays
-- for "once per friend and day").
ALTER TABLE "ReferralInvite" ADD COLUMN "friendEmail" TEXT;
ALTER TABLE "ReferralInvite" ADD COLUMN "eventId" UUID;

-- Erasing after delivery finds the invitation by its event.
CREATE INDEX "ReferralInvite_eventId_idx" ON "ReferralInvite"("eventId");
