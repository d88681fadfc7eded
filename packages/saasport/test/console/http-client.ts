import type { TestServer } from "../support/server.js";

/** A browser-less visitor: keeps cookies, posts forms, follows nothing by itself. */
export function visitor(server: TestServer) {
  const cookies = new Map<string, string>();
  const setCookies: string[] = [];
  async function request(path: string, init: RequestInit = {}) {
    const response = await server.fetch(path, {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      },
    });
    for (const header of response.headers.getSetCookie()) {
      setCookies.push(header);
      const [pair = ""] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/Max-Age=0/.test(header)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get("location"),
      headers: response.headers,
      text: await response.text(),
    };
  }
  return {
    cookies,
    setCookies,
    get: (path: string) => request(path),
    post: (path: string, fields: Record<string, string>) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      }),
  };
}

/** The value of a hidden field on a page (the first one with that name). */
export function hiddenValue(page: string, name: string): string {
  return new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? "";
}
