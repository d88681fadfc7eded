import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const shownFunctions = 25;
const shownPlaces = 12;

/** Where a function lives, coarsely: a package, a Saasport source folder, or Node itself. */
function placeOf(url) {
  if (!url) return "(native / V8)";
  const nodeModule = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nodeModule) return nodeModule[1];
  const saasport = /packages\/saasport\/dist\/([^/]+)/.exec(url);
  if (saasport) return `saasport/${saasport[1].replace(/\.js$/, "")}`;
  if (url.startsWith("node:")) return "node:internal";
  return url;
}

function shortUrl(url) {
  return url
    .replace(/^file:\/\//, "")
    .replace(/^.*node_modules\//, "")
    .replace(/^.*packages\/saasport\//, "");
}

function newestProfile(dir) {
  const profiles = readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (profiles.length === 0) throw new Error(`No .cpuprofile was written to ${dir}`);
  return profiles[0];
}

function topEntries(totals, count, totalHits) {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => `${((hits / totalHits) * 100).toFixed(1).padStart(5)}%  ${name}`);
}

/**
 * Self time of the newest CPU profile in `dir`, by function and by package or source folder, as shares
 * of the time the process was busy (idle time, such as the pauses between runs, is left out).
 */
export function summarizeProfile(dir) {
  const file = newestProfile(dir);
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byFunction = new Map();
  const byPlace = new Map();
  let totalHits = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    const name = `${functionName || "(anonymous)"} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const place = placeOf(url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
    totalHits += hits;
  }
  return [
    `CPU profile ${file}: share of busy time by package or source folder`,
    ...topEntries(byPlace, shownPlaces, totalHits),
    "",
    "Share of busy time by function (self time)",
    ...topEntries(byFunction, shownFunctions, totalHits),
  ].join("\n");
}
