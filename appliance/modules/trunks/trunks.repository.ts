import type { Db } from '../../db/database.js';
import type { Trunk, TrunkInput } from './trunks.types.js';

interface Row {
  id: number;
  name: string;
  auth_mode: Trunk['authMode'];
  host: string;
  port: number;
  transport: Trunk['transport'];
  username: string | null;
  password: string | null;
  realm: string | null;
  expiry_seconds: number;
  from_user: string | null;
  from_domain: string | null;
  allowed_cidrs: string;
  codecs: string;
  dtmf_mode: Trunk['dtmfMode'];
  max_calls: number;
  is_enabled: 0 | 1;
  contact_secret: string | null;
  created_at: string;
  updated_at: string;
}

const toTrunk = (r: Row): Trunk => ({
  id: r.id,
  name: r.name,
  authMode: r.auth_mode,
  host: r.host,
  port: r.port,
  transport: r.transport,
  username: r.username,
  realm: r.realm,
  expirySeconds: r.expiry_seconds,
  fromUser: r.from_user,
  fromDomain: r.from_domain,
  allowedCidrs: JSON.parse(r.allowed_cidrs) as string[],
  codecs: r.codecs.split(','),
  dtmfMode: r.dtmf_mode,
  maxCalls: r.max_calls,
  isEnabled: r.is_enabled === 1,
  hasPassword: Boolean(r.password),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const params = (t: Omit<TrunkInput, 'password'> & { password: string | null }, now: string) => ({
  name: t.name,
  authMode: t.authMode,
  host: t.host,
  port: t.port,
  transport: t.transport,
  username: t.username ?? null,
  password: t.password,
  realm: t.realm ?? null,
  expirySeconds: t.expirySeconds,
  fromUser: t.fromUser ?? null,
  fromDomain: t.fromDomain ?? null,
  allowedCidrs: JSON.stringify(t.allowedCidrs),
  codecs: t.codecs.join(','),
  dtmfMode: t.dtmfMode,
  maxCalls: t.maxCalls,
  isEnabled: t.isEnabled ? 1 : 0,
  now,
});

export function createTrunkRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM trunks WHERE id = ?');
  const byName = db.prepare<[string], Row>('SELECT * FROM trunks WHERE name = ?');
  const all = db.prepare<[], Row>('SELECT * FROM trunks ORDER BY id');
  const cols = `name = @name, auth_mode = @authMode, host = @host, port = @port, transport = @transport, username = @username,
    password = @password, realm = @realm, expiry_seconds = @expirySeconds, from_user = @fromUser, from_domain = @fromDomain,
    allowed_cidrs = @allowedCidrs, codecs = @codecs, dtmf_mode = @dtmfMode, max_calls = @maxCalls, is_enabled = @isEnabled, updated_at = @now`;
  const insert = db.prepare(`INSERT INTO trunks (name, auth_mode, host, port, transport, username, password, realm, expiry_seconds,
    from_user, from_domain, allowed_cidrs, codecs, dtmf_mode, max_calls, is_enabled, contact_secret, created_at, updated_at)
    VALUES (@name, @authMode, @host, @port, @transport, @username, @password, @realm, @expirySeconds, @fromUser, @fromDomain,
    @allowedCidrs, @codecs, @dtmfMode, @maxCalls, @isEnabled, @contactSecret, @now, @now)`);
  const update = db.prepare(`UPDATE trunks SET ${cols} WHERE id = @id`);
  const del = db.prepare('DELETE FROM trunks WHERE id = ?');
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r && toTrunk(r);
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r && toTrunk(r);
    },
    password: (id: number) => byId.get(id)?.password ?? null,
    all: () => all.all().map(toTrunk),
    insert: (t: Omit<TrunkInput, 'password'> & { password: string | null }, contactSecret: string, now: string) =>
      Number(insert.run({ ...params(t, now), contactSecret }).lastInsertRowid),
    update: (id: number, t: Omit<TrunkInput, 'password'> & { password: string | null }, now: string) => update.run({ ...params(t, now), id }),
    delete: (id: number) => del.run(id),
    /** With passwords and contact secrets, for the configuration generator only; sorted by id. */
    forConfig: () => all.all().map((r) => ({ ...toTrunk(r), password: r.password, contactSecret: r.contact_secret })),
  };
}
export type TrunkRepository = ReturnType<typeof createTrunkRepository>;
