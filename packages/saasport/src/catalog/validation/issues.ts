/** One broken catalog rule: where (a path like `publishers[0].offers[1].plans[2].id`) and what, in plain words. */
export interface Issue {
  path: string;
  /** Stable name of the rule, for tests and tooling (e.g. `plan.id.format`). */
  rule: string;
  message: string;
}

/** A value together with the path it came from, so rules can name where a problem is. */
export interface Located<T> {
  value: T;
  path: string;
}

export function field(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

export function item(path: string, index: number): string {
  return `${path}[${index}]`;
}

export function issue(path: string, rule: string, message: string): Issue {
  return { path, rule, message };
}

export function describeIssue(found: Issue): string {
  return found.path ? `${found.path}: ${found.message}` : found.message;
}

/**
 * Thrown when a catalog file breaks rules; the message lists every problem, one per line: the file,
 * the path in it, what is wrong and, in brackets, the name of the rule broken.
 */
export class CatalogValidationError extends Error {
  readonly file: string;
  readonly issues: readonly Issue[];

  constructor(file: string, issues: readonly Issue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(
      `Catalog ${file} has ${count}:\n${issues.map((found) => `  ${file}: ${describeIssue(found)} [${found.rule}]`).join("\n")}`,
    );
    this.name = "CatalogValidationError";
    this.file = file;
    this.issues = issues;
  }
}
