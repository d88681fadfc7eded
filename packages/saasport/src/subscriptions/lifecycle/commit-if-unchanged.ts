import { CompiledQuery, type Kysely, PostgresAdapter } from "kysely";
import { nameStatement } from "../../db/pg-statement-names.js";
import type { Database } from "../../db/tables.js";
import type { PlannedChange } from "./commit.js";

/**
 * PostgreSQL: commits changes planned from subscriptions read outside any transaction (`planChange`), all
 * in one statement, its own transaction: the update of every subscription whose `event_seq` is still the
 * one its change was planned from, and the insert of the events of those it changed. One round trip and
 * one commit instead of four round trips and a commit per change. A subscription changed meanwhile is
 * never overwritten: it is left out, and so is every change of a statement that failed (an event's
 * idempotency key already taken, say, or a lost deadlock). Returns the ids of the subscriptions changed;
 * the caller redoes the others the locked way (`commitChange`), which reports any cause. The changes
 * carry no webhook.
 *
 * SQLite has no use for it: statements run in process, and group commit already shares the commit.
 */
export async function commitIfUnchanged(
  db: Kysely<Database>,
  planned: readonly PlannedChange[],
): Promise<Set<string>> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    throw new Error("commitIfUnchanged is for PostgreSQL only");
  }
  const groups = new Map<string, PlannedChange[]>();
  // In id order, the order in which the processor locks its batches, so that they do not deadlock.
  for (const change of [...planned].sort(byId)) {
    const key = `${columnsOf(change.changes).join(",")} ${columnsOf(change.event).join(",")}`;
    const group = groups.get(key);
    if (group) group.push(change);
    else groups.set(key, [change]);
  }
  const changed = new Set<string>();
  for (const group of groups.values()) {
    for (const id of await commitGroup(db, group)) changed.add(id);
  }
  return changed;
}

function byId(a: PlannedChange, b: PlannedChange): number {
  const x = a.event.subscription_id;
  const y = b.event.subscription_id;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Column lists of the statement, taken from the planned rows (the same for every change of a batch). */
function columnsOf(row: object): string[] {
  return Object.entries(row)
    .filter(([, value]) => value !== undefined)
    .map(([column]) => column);
}

const quoted = (column: string) => `"${column}"`;

/**
 * The rows come as two JSON arrays typed by the tables themselves (`jsonb_populate_recordset`), so the
 * text of the statement depends only on its columns and it runs as a named statement whatever the batch
 * size. `s.id = any($2)` lets the planner find the rows by primary key even in a generic plan.
 */
function statementFor(changeColumns: string[], eventColumns: string[]): string {
  const set = changeColumns.map((column) => `${quoted(column)} = input.${quoted(column)}`).join(", ");
  const events = eventColumns.map(quoted).join(", ");
  return `with input as (select * from jsonb_populate_recordset(null::subscriptions, $1::jsonb)),
changed as (
  update subscriptions as s set ${set} from input
  where s.id = any($2::text[]) and s.id = input.id and s.event_seq = input.event_seq - 1
  returning s.id
)
insert into events (${events})
select ${events} from jsonb_populate_recordset(null::events, $3::jsonb) as e
where e.subscription_id in (select id from changed)
returning subscription_id`;
}

/** One statement for changes of the same columns; the ids changed (none when it failed). */
async function commitGroup(db: Kysely<Database>, group: readonly PlannedChange[]): Promise<string[]> {
  const first = group[0] as PlannedChange;
  const text = statementFor(columnsOf(first.changes), columnsOf(first.event));
  nameStatement(text);
  const ids = group.map((change) => change.event.subscription_id);
  const inputs = JSON.stringify(
    group.map((change) => ({ ...change.changes, id: change.event.subscription_id })),
  );
  const events = JSON.stringify(group.map((change) => change.event));
  try {
    const result = await db.executeQuery<{ subscription_id: string }>(
      CompiledQuery.raw(text, [inputs, ids, events]),
    );
    return result.rows.map((row) => row.subscription_id);
  } catch {
    return [];
  }
}
