import { readFileSync } from "node:fs";

/** The package's version, from its package.json: two folders above this module, as above the bundle. */
export function packageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
