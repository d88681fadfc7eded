import type { HttpModule } from "../http/module.js";

export const clockModule: HttpModule = {
  name: "clock",
  register: () => undefined,
};
