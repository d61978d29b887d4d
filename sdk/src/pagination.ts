import type { Query, Transport } from './client.js';

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * A paginated listing. `await` it for the first page ({data, next_cursor}); iterate it with `for await` for every
 * item of every page, fetched one page at a time as the loop goes; `.pages()` iterates whole pages.
 */
export class List<T> implements AsyncIterable<T>, PromiseLike<Page<T>> {
  constructor(
    private readonly transport: Transport,
    private readonly path: string,
    private readonly query: Query = {},
  ) {}

  private page(cursor?: string): Promise<Page<T>> {
    return this.transport.json<Page<T>>({ method: 'GET', path: this.path, query: { ...this.query, cursor } });
  }

  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.page().then(onfulfilled, onrejected);
  }

  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor: string | undefined;
    do {
      const p = await this.page(cursor);
      yield p;
      cursor = p.next_cursor ?? undefined;
    } while (cursor);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const p of this.pages()) yield* p.data;
  }
}
