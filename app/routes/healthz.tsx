import prisma from "~/db.server";

// For load balancers and the sandbox: the process is up and its database answers.
export const loader = async () => {
  await prisma.$queryRaw`SELECT 1`;
  return Response.json({ ok: true });
};
