import type { FastifyInstance } from "fastify";
import { badArgument } from "./errors.js";

/**
 * JSON bodies may be empty (activate is called with no body, `{}` or the old `{planId, quantity}`);
 * an empty body parses as undefined. Form bodies are used by the token endpoints.
 */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json$/i,
    { parseAs: "string" },
    (_request, body, done) => {
      const text = String(body);
      if (text.trim() === "") return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(badArgument("body", "The request body is not valid JSON.", "InvalidJson"), undefined);
      }
    },
  );
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => {
      const form: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(String(body))) {
        if (!(key in form)) form[key] = value;
      }
      done(null, form);
    },
  );
  // Clients that send no content type at all (curl -X POST without -H) still get their body read as text.
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, text);
    }
  });
}
