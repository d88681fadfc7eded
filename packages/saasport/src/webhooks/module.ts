import type { HttpModule } from "../http/module.js";

export const webhooksModule: HttpModule = {
  name: "webhooks",
  register: () => undefined,
};
