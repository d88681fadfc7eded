import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const version = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string })
  .version;

/**
 * The loader runs against a copy of bin/ and the built bundle, so that the caches these tests write and
 * spoil are not the ones the other tests' CLI runs use.
 */
describe("the bundle loader's code cache", () => {
  let root: string;
  let bundle: string;
  const cacheOf = (kind: string) => `${bundle}.${kind}.v8cache`;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "saasport-loader-"));
    mkdirSync(join(root, "bin"));
    mkdirSync(join(root, "dist/bundle"), { recursive: true });
    for (const file of ["saasport.js", "bundle-loader.js"]) {
      copyFileSync(join(packageDir, "bin", file), join(root, "bin", file));
    }
    bundle = join(root, "dist/bundle/saasport.cjs");
    copyFileSync(join(packageDir, "dist/bundle/saasport.cjs"), bundle);
    copyFileSync(join(packageDir, "package.json"), join(root, "package.json"));
    // The packages the bundle leaves in node_modules (better-sqlite3, ...).
    symlinkSync(join(packageDir, "../../node_modules"), join(root, "node_modules"), "dir");
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  async function runVersion(): Promise<string> {
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(root, "bin/saasport.js"),
      "--version",
    ]);
    return stdout.trim();
  }

  it("is written by the first run and used, unchanged, by the next", async () => {
    expect(await runVersion()).toBe(version);
    const written = statSync(cacheOf("cli"));
    expect(written.size).toBeGreaterThan(10_000);
    expect(await runVersion()).toBe(version);
    // An accepted cache is not written again.
    expect(statSync(cacheOf("cli")).mtimeMs).toBe(written.mtimeMs);
  });

  it("replaces a cache V8 rejects, and the run goes on without it", async () => {
    writeFileSync(cacheOf("cli"), Buffer.alloc(4096, 7));
    expect(await runVersion()).toBe(version);
    const replaced = readFileSync(cacheOf("cli"));
    expect(replaced.length).toBeGreaterThan(10_000);
    expect(replaced.equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it("ignores a cache older than the bundle (an earlier build's)", async () => {
    writeFileSync(cacheOf("cli"), Buffer.alloc(4096, 7));
    const past = new Date(Date.now() - 60_000);
    utimesSync(cacheOf("cli"), past, past);
    expect(await runVersion()).toBe(version);
    expect(statSync(cacheOf("cli")).mtimeMs).toBeGreaterThan(past.getTime() + 1000);
  });
});
