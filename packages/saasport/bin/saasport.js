#!/usr/bin/env node
import { loadBundle } from "./bundle-loader.js";

const args = process.argv.slice(2);
const { main } = loadBundle(args);

main(args).then(
  (code) => {
    if (typeof code === "number") process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
