import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { type CatalogDocument, catalogFromInput } from "./to-domain.js";
import { validateCatalogDocument } from "./validation/catalog-rules.js";
import { CatalogValidationError, issue } from "./validation/issues.js";

export type CatalogFormat = "yaml" | "json";

/** Reads, parses and validates a catalog file (YAML or JSON, by extension). Throws CatalogValidationError. */
export async function loadCatalogFile(file: string): Promise<CatalogDocument> {
  const format = formatOf(file);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : String(error);
    throw new CatalogValidationError(file, [issue("", "file.unreadable", `cannot be read: ${reason}`)]);
  }
  return readCatalogText(text, format, file);
}

export function formatOf(file: string): CatalogFormat {
  const extension = extname(file).toLowerCase();
  if (extension === ".yaml" || extension === ".yml") return "yaml";
  if (extension === ".json") return "json";
  throw new CatalogValidationError(file, [
    issue(
      "",
      "file.extension",
      `the file name must end in .yaml, .yml or .json (got "${extension || "no extension"}")`,
    ),
  ]);
}

/** Parses and validates catalog text; `file` names the source in error messages. */
export function readCatalogText(text: string, format: CatalogFormat, file: string): CatalogDocument {
  const document = withoutNulls(format === "yaml" ? parseYaml(text, file) : parseJson(text, file));
  const { catalog, issues } = validateCatalogDocument(document);
  if (!catalog) throw new CatalogValidationError(file, issues);
  return catalogFromInput(catalog);
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new CatalogValidationError(
      file,
      document.errors.map((error) => {
        const where = error.linePos?.[0];
        const position = where ? `line ${where.line}, column ${where.col}` : "";
        return issue(position, "file.syntax", `is not valid YAML: ${error.message.split("\n")[0]}`);
      }),
    );
  }
  return document.toJS({ maxAliasCount: 1000 });
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CatalogValidationError(file, [
      issue("", "file.syntax", `is not valid JSON: ${(error as Error).message}`),
    ]);
  }
}

/** An empty YAML value (`description:`) means "not set", the same as leaving the field out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== null)
      .map(([key, entry]) => [key, withoutNulls(entry)]),
  );
}
