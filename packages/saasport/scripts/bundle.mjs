// Bundles the compiled CLI and server: loading ~600 separate ES modules costs more than half of
// Saasport's start-up time. Modules loaded with a dynamic import() (the TLS certificate generator, the
// YAML catalog reader, the webhook HTTP client) become chunks of their own, loaded only when used.
// The bundle sits two folders below the package root, like the compiled modules, so paths resolved
// from import.meta.url (catalogs/, openapi/) stay the same; chunks sit beside it for the same reason.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const outdir = new URL("../dist/bundle", import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { saasport: new URL("../dist/cli/main.js", import.meta.url).pathname },
  outdir,
  outExtension: { ".js": ".mjs" },
  chunkNames: "[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // Native modules and pg's optional native binding are loaded from node_modules at run time.
  external: ["better-sqlite3", "pg-native"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
