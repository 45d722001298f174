/**
 * A value read from the workspace and kept until a write to it ends. This process is the only one that can
 * write the file (DuckDB's lock) and every write takes the workspace's writer turn, so what was read while
 * no write ended is still true; a read that overlapped a write is labelled with the count before it, and so
 * is read again at the next ask. A read that fails is not kept.
 */
export class KeptUntilWrite<T> {
  private kept: { writes: number; value: Promise<T> } | null = null;

  constructor(
    private readonly workspace: { readonly writesEnded: number },
    private readonly read: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    const writes = this.workspace.writesEnded;
    if (this.kept?.writes !== writes) {
      const value = this.read();
      this.kept = { writes, value };
      value.catch(() => {
        if (this.kept?.value === value) this.kept = null;
      });
    }
    return this.kept.value;
  }
}
