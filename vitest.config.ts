import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    globalSetup: ["packages/saasport/test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most tests wait on disks, PostgreSQL or a browser rather than the CPU: two at a time on two cores.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
