import type { Db } from '../../db/database.js';
import type { ClickToCallToken, Integration, OpenMode, PopLimits, PopParam, ScreenPop, Trigger } from './screenpop.types.js';

interface PopRow {
  id: number;
  name: string;
  url: string;
  open_mode: OpenMode;
  integration: Integration;
  trigger: Trigger;
  is_enabled: 0 | 1;
  sort_order: number;
  created_at: string;
  updated_at: string;
}
interface ParamRow {
  pop_id: number;
  name: string;
  source: 'call' | 'var';
  source_key: string;
}
interface TokenRow {
  id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A pop's saved values, as the service writes them. */
export interface PopValues {
  name: string;
  url: string;
  openMode: OpenMode;
  integration: Integration;
  trigger: Trigger;
  isEnabled: boolean;
  params: PopParam[];
}

const toToken = (r: TokenRow): ClickToCallToken => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at });

export function createScreenPopRepository(db: Db) {
  const all = db.prepare<[], PopRow>('SELECT * FROM screen_pops ORDER BY sort_order, id');
  const byId = db.prepare<[number], PopRow>('SELECT * FROM screen_pops WHERE id = ?');
  const byName = db.prepare<[string], PopRow>('SELECT * FROM screen_pops WHERE name = ?');
  const params = db.prepare<[], ParamRow>('SELECT pop_id, name, source, source_key FROM screen_pop_params ORDER BY pop_id, position');
  const paramsOf = db.prepare<[number], ParamRow>('SELECT pop_id, name, source, source_key FROM screen_pop_params WHERE pop_id = ? ORDER BY position');
  const nextOrder = db.prepare<[], { n: number }>('SELECT coalesce(max(sort_order), 0) + 1 AS n FROM screen_pops');
  const enabledCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM screen_pops WHERE is_enabled = 1');
  const insert = db.prepare('INSERT INTO screen_pops (name, url, open_mode, integration, trigger, is_enabled, sort_order, created_at, updated_at) VALUES (@name, @url, @openMode, @integration, @trigger, @isEnabled, @sortOrder, @now, @now)');
  const update = db.prepare('UPDATE screen_pops SET name = @name, url = @url, open_mode = @openMode, integration = @integration, trigger = @trigger, is_enabled = @isEnabled, updated_at = @now WHERE id = @id');
  const clearParams = db.prepare('DELETE FROM screen_pop_params WHERE pop_id = ?');
  const insertParam = db.prepare('INSERT INTO screen_pop_params (pop_id, position, name, source, source_key) VALUES (?, ?, ?, ?, ?)');
  const setEnabled = db.prepare('UPDATE screen_pops SET is_enabled = ?, updated_at = ? WHERE id = ?');
  const setOrder = db.prepare('UPDATE screen_pops SET sort_order = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM screen_pops WHERE id = ?');
  const origins = db.prepare<[], { origin: string }>('SELECT origin FROM screen_pop_origins ORDER BY origin');
  const clearOrigins = db.prepare('DELETE FROM screen_pop_origins');
  const insertOrigin = db.prepare('INSERT INTO screen_pop_origins (origin, created_at) VALUES (?, ?)');
  const limits = db.prepare<[], { max_enabled_pops: number; max_params: number }>('SELECT max_enabled_pops, max_params FROM screen_pop_settings WHERE id = 1');
  const setLimits = db.prepare('UPDATE screen_pop_settings SET max_enabled_pops = ?, max_params = ?, updated_at = ? WHERE id = 1');
  const tokens = db.prepare<[], TokenRow>('SELECT * FROM click_to_call_tokens ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC');
  const tokenById = db.prepare<[number], TokenRow>('SELECT * FROM click_to_call_tokens WHERE id = ?');
  const activeHashes = db.prepare<[], { id: number; token_hash: string }>('SELECT id, token_hash FROM click_to_call_tokens WHERE revoked_at IS NULL');
  const insertToken = db.prepare('INSERT INTO click_to_call_tokens (name, token_hash, created_at) VALUES (?, ?, ?)');
  const touchToken = db.prepare('UPDATE click_to_call_tokens SET last_used_at = ? WHERE id = ?');
  const revokeToken = db.prepare('UPDATE click_to_call_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');

  const toParam = (r: ParamRow): PopParam => ({ name: r.name, source: r.source, key: r.source_key });
  const toPop = (r: PopRow, ps: PopParam[]): ScreenPop => ({
    id: r.id,
    name: r.name,
    url: r.url,
    openMode: r.open_mode,
    integration: r.integration,
    trigger: r.trigger,
    isEnabled: r.is_enabled === 1,
    sortOrder: r.sort_order,
    params: ps,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const writeParams = (id: number, ps: PopParam[]) => {
    clearParams.run(id);
    ps.forEach((p, i) => insertParam.run(id, i + 1, p.name, p.source, p.key));
  };
  const row = (v: PopValues, now: string) => ({ name: v.name, url: v.url, openMode: v.openMode, integration: v.integration, trigger: v.trigger, isEnabled: v.isEnabled ? 1 : 0, now });

  return {
    all(): ScreenPop[] {
      const byPop = new Map<number, PopParam[]>();
      for (const p of params.all()) byPop.set(p.pop_id, [...(byPop.get(p.pop_id) ?? []), toParam(p)]);
      return all.all().map((r) => toPop(r, byPop.get(r.id) ?? []));
    },
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toPop(r, paramsOf.all(id).map(toParam)) : null;
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r ? toPop(r, []) : null;
    },
    enabledCount: () => enabledCount.get()!.n,
    insert(v: PopValues, now: string): number {
      const id = Number(insert.run({ ...row(v, now), sortOrder: nextOrder.get()!.n }).lastInsertRowid);
      writeParams(id, v.params);
      return id;
    },
    update(id: number, v: PopValues, now: string): void {
      update.run({ ...row(v, now), id });
      writeParams(id, v.params);
    },
    setEnabled: (id: number, isEnabled: boolean, now: string) => setEnabled.run(isEnabled ? 1 : 0, now, id),
    setOrder: (id: number, sortOrder: number) => setOrder.run(sortOrder, id),
    delete: (id: number) => del.run(id),
    origins: () => origins.all().map((r) => r.origin),
    replaceOrigins(list: readonly string[], now: string): void {
      clearOrigins.run();
      for (const o of list) insertOrigin.run(o, now);
    },
    limits(): PopLimits {
      const r = limits.get()!;
      return { maxEnabledPops: r.max_enabled_pops, maxParams: r.max_params };
    },
    setLimits: (l: PopLimits, now: string) => setLimits.run(l.maxEnabledPops, l.maxParams, now),
    tokens: () => tokens.all().map(toToken),
    findToken: (id: number) => {
      const r = tokenById.get(id);
      return r ? toToken(r) : null;
    },
    activeTokenHashes: () => activeHashes.all().map((r) => ({ id: r.id, hash: r.token_hash })),
    insertToken: (name: string, hash: string, now: string) => Number(insertToken.run(name, hash, now).lastInsertRowid),
    touchToken: (id: number, now: string) => touchToken.run(now, id),
    revokeToken: (id: number, now: string) => revokeToken.run(now, id).changes > 0,
  };
}
export type ScreenPopRepository = ReturnType<typeof createScreenPopRepository>;
