export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}
/** Run a page query; a page past the end is clamped to the last page so a stale link still shows rows. */
export function paginate<T>(
  page: number,
  pageSize: number,
  fetch: (limit: number, offset: number) => { items: T[]; total: number },
): Page<T> {
  let result = fetch(pageSize, (page - 1) * pageSize);
  const pages = Math.max(1, Math.ceil(result.total / pageSize));
  if (page > pages) {
    page = pages;
    result = fetch(pageSize, (page - 1) * pageSize);
  }
  return { items: result.items, total: result.total, page, pageSize, pages };
}
