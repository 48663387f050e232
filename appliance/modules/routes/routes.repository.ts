import type { Db } from '../../db/database.js';
import type { OutboundPolicy, OutboundRoute, RouteInput } from './routes.types.js';

interface Row {
  id: number;
  name: string;
  position: number;
  pattern: string;
  strip: number;
  prepend: string;
  call_class: OutboundRoute['callClass'];
  trunk_ids: string;
  caller_id_number_id: number;
  is_enabled: 0 | 1;
}
const toRoute = (r: Row): OutboundRoute => ({
  id: r.id,
  name: r.name,
  position: r.position,
  pattern: r.pattern,
  strip: r.strip,
  prepend: r.prepend,
  callClass: r.call_class,
  trunkIds: JSON.parse(r.trunk_ids) as number[],
  callerIdNumberId: r.caller_id_number_id,
  isEnabled: r.is_enabled === 1,
});

interface PolicyRow {
  allow_international: 0 | 1;
  premium_prefixes: string;
  emergency_numbers: string;
  extension_concurrent: number;
  extension_per_hour: number;
  global_concurrent: number;
  global_per_hour: number;
}

export function createRouteRepository(db: Db) {
  const all = db.prepare<[], Row>('SELECT * FROM outbound_routes ORDER BY position, id');
  const byId = db.prepare<[number], Row>('SELECT * FROM outbound_routes WHERE id = ?');
  const byName = db.prepare<[string], Row>('SELECT * FROM outbound_routes WHERE name = ?');
  const values = (r: RouteInput, now: string) => ({ ...r, trunkIds: JSON.stringify(r.trunkIds), isEnabled: r.isEnabled ? 1 : 0, now });
  const insert = db.prepare(`INSERT INTO outbound_routes (name, position, pattern, strip, prepend, call_class, trunk_ids, caller_id_number_id, is_enabled, created_at, updated_at)
    VALUES (@name, @position, @pattern, @strip, @prepend, @callClass, @trunkIds, @callerIdNumberId, @isEnabled, @now, @now)`);
  const update = db.prepare(`UPDATE outbound_routes SET name = @name, position = @position, pattern = @pattern, strip = @strip, prepend = @prepend,
    call_class = @callClass, trunk_ids = @trunkIds, caller_id_number_id = @callerIdNumberId, is_enabled = @isEnabled, updated_at = @now WHERE id = @id`);
  const del = db.prepare('DELETE FROM outbound_routes WHERE id = ?');
  const policy = db.prepare<[], PolicyRow>('SELECT * FROM outbound_policy WHERE id = 1');
  const setPolicy = db.prepare(`UPDATE outbound_policy SET allow_international = @allowInternational, premium_prefixes = @premiumPrefixes,
    emergency_numbers = @emergencyNumbers, extension_concurrent = @extensionConcurrent, extension_per_hour = @extensionPerHour,
    global_concurrent = @globalConcurrent, global_per_hour = @globalPerHour, updated_at = @now WHERE id = 1`);
  const logBlocked = db.prepare('INSERT INTO blocked_calls (at, extension, dialed, reason) VALUES (?, ?, ?, ?)');
  const recentBlocked = db.prepare<[number], { at: string; extension: string; dialed: string; reason: string }>('SELECT at, extension, dialed, reason FROM blocked_calls ORDER BY id DESC LIMIT ?');
  return {
    all: () => all.all().map(toRoute),
    find: (id: number) => {
      const r = byId.get(id);
      return r && toRoute(r);
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r && toRoute(r);
    },
    insert: (r: RouteInput, now: string) => Number(insert.run(values(r, now)).lastInsertRowid),
    update: (id: number, r: RouteInput, now: string) => update.run({ ...values(r, now), id }),
    delete: (id: number) => del.run(id),
    policy: (): OutboundPolicy => {
      const p = policy.get()!;
      return {
        allowInternational: p.allow_international === 1,
        premiumPrefixes: JSON.parse(p.premium_prefixes) as string[],
        emergencyNumbers: JSON.parse(p.emergency_numbers) as string[],
        extensionConcurrent: p.extension_concurrent,
        extensionPerHour: p.extension_per_hour,
        globalConcurrent: p.global_concurrent,
        globalPerHour: p.global_per_hour,
      };
    },
    setPolicy: (p: OutboundPolicy, now: string) =>
      setPolicy.run({ ...p, allowInternational: p.allowInternational ? 1 : 0, premiumPrefixes: JSON.stringify(p.premiumPrefixes), emergencyNumbers: JSON.stringify(p.emergencyNumbers), now }),
    logBlocked: (at: string, extension: string, dialed: string, reason: string) => logBlocked.run(at, extension, dialed, reason),
    recentBlocked: (n: number) => recentBlocked.all(n),
  };
}
export type RouteRepository = ReturnType<typeof createRouteRepository>;
