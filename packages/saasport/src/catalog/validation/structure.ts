import type { TSchema } from "@sinclair/typebox";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { guidPattern } from "../reference-data.js";
import { field, type Issue, issue, item } from "./issues.js";

const guidPatternText = guidPattern.source;

/**
 * Checks shapes and types against a TypeBox schema and reports every mismatch in plain words, at most
 * one per path (a missing field is reported as missing, not also as having the wrong type).
 */
export function structuralIssues(schema: TSchema, value: unknown, basePath = ""): Issue[] {
  const seen = new Set<string>();
  const found: Issue[] = [];
  for (const error of Value.Errors(schema, value)) {
    const path = joinPointer(basePath, error.path);
    if (seen.has(path)) continue;
    seen.add(path);
    found.push(issue(path, ruleOf(error), messageOf(error)));
  }
  return found;
}

/** Turns a JSON pointer (`/publishers/0/id`) into the catalog's path notation (`publishers[0].id`). */
export function joinPointer(basePath: string, pointer: string): string {
  let path = basePath;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    path = /^\d+$/.test(segment) ? item(path, Number(segment)) : field(path, segment);
  }
  return path;
}

function ruleOf(error: ValueError): string {
  if (error.type === ValueErrorType.ObjectRequiredProperty) return "structure.required";
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return "structure.unknownField";
  return "structure.type";
}

function messageOf(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return "is required";
    case ValueErrorType.ObjectAdditionalProperties: {
      const known = Object.keys((error.schema as { properties?: object }).properties ?? {});
      return `is not a known field (known fields: ${known.join(", ")})`;
    }
    default:
      return limitBroken(error) ?? `must be ${expected(error.schema)}, but is ${describeValue(error.value)}`;
  }
}

/** A value of the right type outside the schema's limits: how many items, how long, how large. */
function limitBroken(error: ValueError): string | undefined {
  const schema = error.schema as {
    minItems?: number;
    maxItems?: number;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    pattern?: string;
  };
  const count = (n: number | undefined, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const length = (value: unknown) => (Array.isArray(value) || typeof value === "string" ? value.length : 0);
  switch (error.type) {
    case ValueErrorType.ArrayMinItems:
      return `must list at least ${count(schema.minItems, "item", "items")}, but lists ${length(error.value)}`;
    case ValueErrorType.ArrayMaxItems:
      return `must list at most ${count(schema.maxItems, "item", "items")}, but lists ${length(error.value)}`;
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1
        ? "must not be empty"
        : `must be at least ${count(schema.minLength, "character", "characters")} long, but has ${length(error.value)}`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${count(schema.maxLength, "character", "characters")} long, but has ${length(error.value)}`;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${schema.minimum}, but is ${describeValue(error.value)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${schema.maximum}, but is ${describeValue(error.value)}`;
    case ValueErrorType.StringPattern:
      return schema.pattern === guidPatternText
        ? `must be a GUID, but is ${describeValue(error.value)}`
        : `is not in the expected form, but is ${describeValue(error.value)}`;
    default:
      return undefined;
  }
}

/** What a schema expects, in words: "text", "a whole number", "one of P1M, P1Y". */
function expected(schema: TSchema): string {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  if (anyOf) {
    const constants = anyOf.map((option) => (option as { const?: unknown }).const);
    if (constants.every((constant) => typeof constant === "string")) return `one of ${constants.join(", ")}`;
    return anyOf.map(expected).join(" or ");
  }
  if ("const" in schema) return JSON.stringify(schema.const);
  switch (schema.type) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "integer":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
      return "a mapping of named fields";
    case "null":
      return "null";
    default:
      return "a different value";
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number") return `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}
