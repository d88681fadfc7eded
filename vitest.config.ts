import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    globalSetup: ["packages/saasport/test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Each worker imports the server's modules once for all the files it runs, not once per file (import
    // time was a third of the suite). Files start their own servers and databases and restore every
    // mock and stubbed variable they set, so they share nothing else.
    isolate: false,
    // Most tests wait on disks, PostgreSQL or a browser rather than the CPU: two at a time on two cores.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
