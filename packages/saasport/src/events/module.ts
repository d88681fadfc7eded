import type { HttpModule } from "../http/module.js";

export const eventsModule: HttpModule = {
  name: "events",
  register: () => undefined,
};
