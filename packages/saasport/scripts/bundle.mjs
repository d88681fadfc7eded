// Bundles the compiled CLI and server into one CommonJS script, dist/bundle/saasport.cjs, that
// bin/bundle-loader.js compiles with a V8 code cache (Node 20 has no compile cache for ES modules):
// loading ~600 separate ES modules cost more than half of Saasport's start-up, and compiling the one
// bundle without a cache another fifth.
// - The bundle sits two folders below the package root, like the compiled modules, so paths resolved
//   from import.meta.url (catalogs/, openapi/) stay the same.
// - Packages loaded only on demand and large (the webhook HTTP client, the TLS certificate generator),
//   and native ones, stay in node_modules and are required when first used.
// - The output must be ASCII: Node then reads it as a one-byte string, without a UTF-8 decode.
//   esbuild escapes strings itself; the plugin escapes the rest of Saasport's own code (tagged
//   templates, which esbuild keeps as written; the console's `html` tag reads the cooked strings).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

const packageDir = new URL("..", import.meta.url).pathname;
const outdir = `${packageDir}dist/bundle`;
const outfile = `${outdir}/saasport.cjs`;
rmSync(outdir, { recursive: true, force: true });

const escapeNonAscii = (text) =>
  text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

const asciiOwnCode = {
  name: "ascii-own-code",
  setup(build) {
    build.onLoad({ filter: /[\\/]packages[\\/]saasport[\\/]dist[\\/].*\.js$/ }, async (args) => ({
      contents: escapeNonAscii(await readFile(args.path, "utf8")),
      loader: "js",
    }));
  },
};

/** Packages left in node_modules and loaded on first use; see requiredWhenUsed. */
const packagesLoadedOnDemand = ["undici", "selfsigned"];

// A script run through node:vm cannot import() (not with a code cache), so the import() of a package
// left in node_modules goes through a bundled shim that require()s it; esbuild turns the import() of
// the shim into a lazy require.
const requiredWhenUsed = {
  name: "required-when-used",
  setup(build) {
    const filter = new RegExp(`^(${packagesLoadedOnDemand.join("|")})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === "required-when-used"
        ? { path: args.path, external: true }
        : { path: args.path, namespace: "required-when-used" },
    );
    build.onLoad({ filter: /.*/, namespace: "required-when-used" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
      resolveDir: packageDir,
    }));
  },
};

const result = await build({
  entryPoints: [`${packageDir}dist/cli/main.js`],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  minifyWhitespace: true,
  legalComments: "none",
  charset: "ascii",
  external: ["better-sqlite3", "pg-native"],
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [asciiOwnCode, requiredWhenUsed],
  write: false,
  logLevel: "warning",
});

mkdirSync(outdir, { recursive: true });
for (const file of result.outputFiles) {
  if (file.path === outfile) {
    const offset = file.contents.findIndex((byte) => byte > 0x7f);
    if (offset !== -1) {
      const text = Buffer.from(file.contents.subarray(Math.max(0, offset - 60), offset + 20)).toString(
        "utf8",
      );
      throw new Error(
        `dist/bundle/saasport.cjs must be ASCII; a package added a non-ASCII byte near: ${text}`,
      );
    }
  }
  writeFileSync(file.path, file.contents);
}
