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

/** The compiled schema of one operation's response, or null when the spec declares no body. */
function responseValidator(operationId: string, status: number): ValidateFunction | null {
  const key = `${operationId}:${status}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  for (const [name, document] of Object.entries(documents)) {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (operation.operationId !== operationId) continue;
        const response = operation.responses[String(status)];
        if (!response) throw new Error(`${operationId} declares no ${status} response`);
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

/** True when the operation's status has a declared response (to catch statuses the spec never lists). */
export function declaresStatus(operationId: string, status: number): boolean {
  try {
    responseValidator(operationId, status);
    return true;
  } catch {
    return false;
  }
}
