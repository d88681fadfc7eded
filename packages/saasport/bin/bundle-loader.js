// Runs dist/bundle/saasport.cjs with a V8 code cache beside it. Node 20 keeps no compile cache for
// ES modules, and compiling the bundle from source is about a fifth of Saasport's start-up; with the
// cache, V8 deserialises the functions an earlier run compiled instead of parsing the source.
// A cache is written once per kind of run (`serve`, or any other command), by the first run that
// found none or found it rejected (another Node version or V8 flags): for `serve` a few seconds after
// start, when start-up and the first requests have compiled what a start needs, or at exit if sooner.
// Where the package folder is read-only, runs simply go without.
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const bundleFile = fileURLToPath(new URL("../dist/bundle/saasport.cjs", import.meta.url));
const serveCacheDelayMs = 3000;
const helpFlags = new Set(["-h", "--help", "-V", "--version"]);

/** `serve` is the default command, so options alone (`saasport --port 9000`) also serve. */
function kindOfRun(args) {
  const first = args[0];
  if (first === undefined || first === "serve") return "serve";
  return first.startsWith("-") && !helpFlags.has(first) ? "serve" : "cli";
}

function readCache(cacheFile) {
  try {
    // A cache older than the bundle belongs to an earlier build.
    if (statSync(cacheFile).mtimeMs < statSync(bundleFile).mtimeMs) return undefined;
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function writeCache(script, cacheFile) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
  }
}

/** Loads the bundle and returns its exports (`main`). */
export function loadBundle(args) {
  // The bundle is ASCII (scripts/bundle.mjs checks), so latin1 reads it exactly and without decoding.
  const source = readFileSync(bundleFile, "latin1");
  const kind = kindOfRun(args);
  const cacheFile = `${bundleFile}.${kind}.v8cache`;
  const cachedData = readCache(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundleFile,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    createRequire(bundleFile),
    module,
    bundleFile,
    dirname(bundleFile),
  );
  if (cachedData === undefined || script.cachedDataRejected) {
    let written = false;
    const writeOnce = () => {
      if (!written) writeCache(script, cacheFile);
      written = true;
    };
    if (kind === "serve") setTimeout(writeOnce, serveCacheDelayMs).unref();
    process.once("exit", writeOnce);
  }
  return module.exports;
}
