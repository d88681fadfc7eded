/** A field of a posted form (the body parser gives url-encoded forms as a record of strings). */
export function formField(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** A trimmed field; "" when absent. */
export function trimmedField(body: unknown, name: string): string {
  return (formField(body, name) ?? "").trim();
}

/** Console forms are small; anything bigger is refused before it is read. */
export const formBodyLimit = 16 * 1024;
