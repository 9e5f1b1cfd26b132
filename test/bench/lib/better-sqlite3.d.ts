// The part of better-sqlite3's API the benchmarks use (the package ships no types and
// @types/better-sqlite3 is not installed).
declare module 'better-sqlite3' {
  namespace Database {
    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
    }
    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }
    interface ColumnDefinition {
      name: string;
      column: string | null;
      table: string | null;
      type: string | null;
    }
    interface Statement {
      readonly reader: boolean;
      run(...params: unknown[]): RunResult;
      get(...params: unknown[]): unknown;
      all(...params: unknown[]): unknown[];
      raw(toggle?: boolean): this;
      pluck(toggle?: boolean): this;
      columns(): ColumnDefinition[];
    }
    interface Database {
      prepare(sql: string): Statement;
      exec(sql: string): this;
      pragma(source: string, options?: { simple?: boolean }): unknown;
      transaction<F extends (...args: any[]) => any>(fn: F): F;
      close(): this;
    }
  }
  const Database: {
    new (filename: string, options?: Database.Options): Database.Database;
  };
  export = Database;
}
