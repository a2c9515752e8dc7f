// `npm start`: apply migrations, then serve the built app (see `npm run build`).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { migrate } from "../app/db/migrate.server";
import { database } from "../app/db.server";
import { createAppServer } from "./app-server";

await migrate(database);
const build = (await import(
  pathToFileURL(path.resolve("build/server/index.js")).href
)) as ServerBuild;
const port = Number(process.env.PORT || 3000);
const server = createAppServer(build).listen(port, () => {
  console.info(`Loyalty app listening on http://localhost:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void import("../app/jobs/start.server")
      .then(({ shutdown }) => shutdown())
      .then(() => process.exit(0));
  });
}
