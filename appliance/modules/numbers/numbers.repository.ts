import type { Db } from '../../db/database.js';
import type { NumberInput, NumberRoute } from './numbers.types.js';

interface Row {
  id: number;
  number: string;
  trunk_id: number;
  is_inbound: 0 | 1;
  destination_kind: NumberRoute['destinationKind'];
  destination_extension_id: number | null;
  created_at: string;
  updated_at: string;
}

const toNumber = (r: Row): NumberRoute => ({
  id: r.id,
  number: r.number,
  trunkId: r.trunk_id,
  isInbound: r.is_inbound === 1,
  destinationKind: r.destination_kind,
  destinationExtensionId: r.destination_extension_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createNumberRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM numbers WHERE id = ?');
  const byNumber = db.prepare<[string], Row>('SELECT * FROM numbers WHERE number = ?');
  const all = db.prepare<[], Row>('SELECT * FROM numbers ORDER BY id');
  const byTrunk = db.prepare<[number], Row>('SELECT * FROM numbers WHERE trunk_id = ? ORDER BY id');
  const byExtension = db.prepare<[number], Row>('SELECT * FROM numbers WHERE destination_extension_id = ? ORDER BY id');
  const insert = db.prepare(`INSERT INTO numbers (number, trunk_id, is_inbound, destination_kind, destination_extension_id, created_at, updated_at)
    VALUES (@number, @trunkId, @isInbound, @destinationKind, @destinationExtensionId, @now, @now)`);
  const update = db.prepare(`UPDATE numbers SET number = @number, trunk_id = @trunkId, is_inbound = @isInbound, destination_kind = @destinationKind,
    destination_extension_id = @destinationExtensionId, updated_at = @now WHERE id = @id`);
  const del = db.prepare('DELETE FROM numbers WHERE id = ?');
  const values = (n: NumberInput, now: string) => ({ ...n, isInbound: n.isInbound ? 1 : 0, now });
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r && toNumber(r);
    },
    findByNumber: (n: string) => {
      const r = byNumber.get(n);
      return r && toNumber(r);
    },
    all: () => all.all().map(toNumber),
    onTrunk: (trunkId: number) => byTrunk.all(trunkId).map(toNumber),
    toExtension: (extensionId: number) => byExtension.all(extensionId).map(toNumber),
    insert: (n: NumberInput, now: string) => Number(insert.run(values(n, now)).lastInsertRowid),
    update: (id: number, n: NumberInput, now: string) => update.run({ ...values(n, now), id }),
    delete: (id: number) => del.run(id),
  };
}
export type NumberRepository = ReturnType<typeof createNumberRepository>;
