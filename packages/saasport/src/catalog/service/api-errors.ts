import type { Static, TSchema } from "@sinclair/typebox";
import { ApiError } from "../../http/errors.js";
import { describeIssue, type Issue } from "../validation/issues.js";
import { structuralIssues } from "../validation/structure.js";

/** 400 listing every broken rule, each with the path of the offending field in the request body. */
export function rulesBroken(issues: readonly Issue[]): ApiError {
  const [first] = issues;
  const message =
    issues.length === 1 && first
      ? describeIssue(first)
      : `The request breaks ${issues.length} catalog rules; see details.`;
  return new ApiError("BadArgument", message, {
    target: first?.path ?? "body",
    details: issues.map((found) => ({
      code: found.rule === "structure.required" ? "RequiredField" : "InvalidValue",
      message: found.message,
      target: found.path,
    })),
  });
}

/** Checks a request body against its TypeBox schema, reporting every mismatch at once. */
export function readBody<T extends TSchema>(schema: T, body: unknown): Static<T> {
  const issues = structuralIssues(schema, body, "body");
  if (issues.length > 0) throw rulesBroken(issues);
  return body as Static<T>;
}

export function throwIfBroken(issues: readonly Issue[]): void {
  if (issues.length > 0) throw rulesBroken(issues);
}

export function offerNotFound(offerId: string): ApiError {
  return new ApiError("EntityNotFound", `There is no offer "${offerId}".`, { target: "offerId" });
}

export function planNotFound(offerId: string, planId: string): ApiError {
  return new ApiError("EntityNotFound", `Offer "${offerId}" has no plan "${planId}".`, { target: "planId" });
}

export function publisherNotFound(publisherId: string): ApiError {
  return new ApiError("EntityNotFound", `There is no publisher "${publisherId}".`, { target: "publisherId" });
}

export function conflict(target: string, message: string): ApiError {
  return new ApiError("Conflict", message, { target, details: [{ code: "Conflict", message, target }] });
}
