import type { HttpModule } from "../http/module.js";

export const demoIsvModule: HttpModule = {
  name: "demo-isv",
  register: () => undefined,
};
