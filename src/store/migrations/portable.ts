// The two column spellings SQLite and PostgreSQL do not share. The SQLite spellings are the ones the
// migrations shipped with, so existing store files keep exactly their schema.
import type { ColumnDefinitionBuilder } from "kysely";

export type Dialect = "sqlite" | "postgres";

/** An auto-numbered integer primary key: AUTOINCREMENT on SQLite, an identity column on PostgreSQL. */
export function autoKey(dialect: Dialect): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialect === "postgres"
    ? (c) => c.primaryKey().generatedByDefaultAsIdentity()
    : (c) => c.primaryKey().autoIncrement();
}

/** The column type of raw bytes. */
export function bytesType(dialect: Dialect): "blob" | "bytea" {
  return dialect === "postgres" ? "bytea" : "blob";
}
