import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/** Microsoft's official OpenAPI files, kept unchanged in ../shared/openapi beside the repository. */
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const openapiDir = resolve(repositoryRoot, "../shared/openapi");

type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }
    >
  >;
};

function load(relativePath: string): OpenApiDocument {
  return JSON.parse(readFileSync(resolve(openapiDir, relativePath), "utf8")) as OpenApiDocument;
}

const documents = {
  saas: load("Microsoft.Marketplace.SaaS/2018-08-31/saasapi.v2.json"),
  metering: load("Microsoft.Marketplace.Metering/2018-08-31/meteringapi.v1.json"),
};

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
(addFormats as unknown as (ajv: Ajv) => void)(ajv);
ajv.addSchema(documents.saas, "saas");
ajv.addSchema(documents.metering, "metering");

const cache = new Map<string, ValidateFunction | null>();

/** The compiled schema of one operation's response; null when the spec declares no body for it. */
function compiledResponse(operationId: string, status: number): ValidateFunction | null | "undeclared" {
  const key = `${operationId}:${status}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  for (const [name, document] of Object.entries(documents)) {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (operation.operationId !== operationId) continue;
        const response = operation.responses[String(status)];
        if (!response) return "undeclared";
        const schema = response.content?.["application/json"]?.schema;
        const pointer = `${name}#/paths/${path.replaceAll("~", "~0").replaceAll("/", "~1")}/${method}/responses/${status}/content/application~1json/schema`;
        const validator = schema ? ajv.compile({ $ref: pointer }) : null;
        cache.set(key, validator);
        return validator;
      }
    }
  }
  throw new Error(`Unknown operationId ${operationId}`);
}

/** The compiled schema of one operation's response, or null when the spec declares no body. */
function responseValidator(operationId: string, status: number): ValidateFunction | null {
  const validator = compiledResponse(operationId, status);
  if (validator === "undeclared") throw new Error(`${operationId} declares no ${status} response`);
  return validator;
}

/** Every official operation as a method and a pattern of its path under /api; literal paths first. */
const officialRoutes = Object.values(documents)
  .flatMap((document) =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        parameters: (path.match(/\{/g) ?? []).length,
        pattern: new RegExp(`^${path.replace(/\/$/, "").replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
        operationId: operation.operationId,
      })),
    ),
  )
  .sort((a, b) => a.parameters - b.parameters);

/** The official operation a request to `/api<path>` is, or undefined for paths the files do not have. */
export function officialOperationOf(method: string, path: string): string | undefined {
  const bare = path.split("?")[0] ?? "";
  return officialRoutes.find((route) => route.method === method.toUpperCase() && route.pattern.test(bare))
    ?.operationId;
}

/**
 * The answer as the official file would have it, where Saasport deliberately follows live behaviour
 * the file lacks (spec §10.21: the usage aggregates' `reconStatus` of test purchases and DryRun
 * sessions, `TestHeaders` and `DryRun`, are not in the file's enum). Everything else is checked as sent.
 */
function withoutKnownDeviations(operationId: string, body: unknown): unknown {
  if (operationId !== "MeteringOperations_GetUsageEvent" || !Array.isArray(body)) return body;
  return body.map((row: { reconStatus?: unknown }) =>
    row.reconStatus === "TestHeaders" || row.reconStatus === "DryRun"
      ? { ...row, reconStatus: "Accepted" }
      : row,
  );
}

/**
 * Checks any answer of the /api surface: when the official file declares a JSON body for the
 * operation and status, the body must conform to it, known deviations aside (above). Statuses the file
 * does not list (401, or a 404 the file leaves out) and bodiless answers have nothing to check.
 */
export function assertAnswerMatchesOfficialSchema(
  method: string,
  path: string,
  status: number,
  body: unknown,
): void {
  const operationId = officialOperationOf(method, path);
  if (!operationId) return;
  const validator = compiledResponse(operationId, status);
  if (validator && validator !== "undeclared")
    assertMatchesOfficialSchema(operationId, status, withoutKnownDeviations(operationId, body));
}

/**
 * Asserts that a response body conforms to the official schema of the operation and status. Strict
 * enums of the official clients are covered because the schemas carry them.
 */
export function assertMatchesOfficialSchema(operationId: string, status: number, body: unknown): void {
  const validate = responseValidator(operationId, status);
  if (!validate) return;
  if (!validate(body)) {
    throw new Error(
      `${operationId} ${status} body does not match the official schema:\n${ajv.errorsText(validate.errors, { separator: "\n" })}\n${JSON.stringify(body, null, 2).slice(0, 2000)}`,
    );
  }
}
