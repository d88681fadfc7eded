import { type Issue, issue } from "./issues.js";

/** A name shown to buyers: not blank, not longer than `max` characters. */
export function displayNameIssues(value: string, path: string, rule: string, max: number): Issue[] {
  if (value.trim() === "") return [issue(path, `${rule}.blank`, "must not be empty")];
  return maxLengthIssues(value, path, `${rule}.length`, max);
}

export function maxLengthIssues(value: string, path: string, rule: string, max: number): Issue[] {
  const length = [...value].length;
  if (length <= max) return [];
  return [issue(path, rule, `must be at most ${max.toLocaleString("en-US")} characters long (is ${length})`)];
}

/** Flags every later occurrence of a value already seen, naming where it was first used. */
export function duplicateIssues<T>(
  entries: readonly T[],
  keyOf: (entry: T) => string | undefined,
  pathOf: (index: number) => string,
  rule: string,
  describe: (key: string, firstPath: string) => string,
): Issue[] {
  const firstSeen = new Map<string, string>();
  const found: Issue[] = [];
  entries.forEach((entry, index) => {
    const key = keyOf(entry);
    if (key === undefined) return;
    const first = firstSeen.get(key);
    if (first === undefined) firstSeen.set(key, pathOf(index));
    else found.push(issue(pathOf(index), rule, describe(key, first)));
  });
  return found;
}
