import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { icon } from "./icon.js";
import { script } from "./script.js";
import { stylesheet } from "./stylesheet.js";

interface Asset {
  path: string;
  type: string;
  body: string;
  etag: string;
}

function asset(path: string, type: string, body: string): Asset {
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  return { path, type, body, etag };
}

const assets = [
  asset("/assets/console.css", "text/css; charset=utf-8", stylesheet),
  asset("/assets/console.js", "text/javascript; charset=utf-8", script),
  asset("/assets/icon.svg", "image/svg+xml", icon),
];

/** `?v=` of the asset links: a new version is a new URL, so browsers may keep an asset for a day. */
export const assetVersion = createHash("sha256")
  .update(assets.map((entry) => entry.etag).join())
  .digest("base64url")
  .slice(0, 10);

export const assetUrls = {
  stylesheet: `/console/assets/console.css?v=${assetVersion}`,
  script: `/console/assets/console.js?v=${assetVersion}`,
  icon: `/console/assets/icon.svg?v=${assetVersion}`,
};

/** The console's stylesheet, script and icon, with an ETag (answered 304 when the browser has it). */
export function registerAssetRoutes(app: FastifyInstance): void {
  for (const entry of assets) {
    app.get(entry.path, async (request, reply) => {
      reply
        .header("etag", entry.etag)
        .header("cache-control", "public, max-age=86400")
        .header("x-content-type-options", "nosniff")
        .type(entry.type);
      if (request.headers["if-none-match"] === entry.etag) return reply.code(304).send();
      return reply.send(entry.body);
    });
  }
}
