import type { HttpModule } from "../http/module.js";

export const faultsModule: HttpModule = {
  name: "faults",
  register: () => undefined,
};
