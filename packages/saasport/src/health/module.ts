import { sql } from "kysely";
import type { HttpModule } from "../http/module.js";

/** `/healthz`: 200 once the database answers. */
export const healthModule: HttpModule = {
  name: "health",
  register(app, ctx) {
    app.get("/healthz", async (_request, reply) => {
      if (!ctx.ready) return reply.code(503).send({ status: "starting" });
      await sql`select 1`.execute(ctx.db);
      return reply.send({ status: "ok" });
    });
    return undefined;
  },
};
