/** Which public surface a URL belongs to; decides how errors are laid out. */
export type Surface = "fulfillment" | "metering" | "saasport" | "identity" | "other";

export function surfaceOf(url: string): Surface {
  const path = url.split("?")[0] ?? "";
  if (path.startsWith("/api/saas/")) return "fulfillment";
  if (path === "/api/usageEvent" || path === "/api/batchUsageEvent" || path === "/api/usageEvents")
    return "metering";
  if (path.startsWith("/api/")) return "fulfillment";
  if (/^\/(store|partner|operator)\/v1(\/|$)/.test(path)) return "saasport";
  if (/^\/[^/]+\/(oauth2|discovery|v2\.0\/\.well-known|\.well-known)\//.test(path)) return "identity";
  return "other";
}
