import type { Db } from '../../db/database.js';
import type { NumberInput, NumberRoute } from './numbers.types.js';
import { WEEKDAYS, type Holiday, type OpenInterval } from './schedule.js';

interface Row {
  id: number;
  number: string;
  trunk_id: number;
  is_inbound: 0 | 1;
  destination_kind: NumberRoute['destinationKind'];
  destination_extension_id: number | null;
  destination_flow_id: number | null;
  after_hours_flow_id: number | null;
  after_hours_kind: NumberRoute['afterHoursKind'];
  after_hours_extension_id: number | null;
  timezone: string | null;
  is_caller_id: 0 | 1;
  recording_policy_id: number | null;
  has_survey: 0 | 1;
  created_at: string;
  updated_at: string;
}
interface HoursRow {
  number_id: number;
  weekday: number;
  opens: number;
  closes: number;
}
interface HolidayRow {
  number_id: number;
  date: string;
  label: string;
}

export function createNumberRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM numbers WHERE id = ?');
  const byNumber = db.prepare<[string], Row>('SELECT * FROM numbers WHERE number = ?');
  const all = db.prepare<[], Row>('SELECT * FROM numbers ORDER BY id');
  const byTrunk = db.prepare<[number], Row>('SELECT * FROM numbers WHERE trunk_id = ? ORDER BY id');
  const byExtension = db.prepare<[number, number], Row>('SELECT * FROM numbers WHERE destination_extension_id = ? OR after_hours_extension_id = ? ORDER BY id');
  const byPolicy = db.prepare<[number], Row>('SELECT * FROM numbers WHERE recording_policy_id = ? ORDER BY id');
  const byFlow = db.prepare<[number, number], Row>('SELECT * FROM numbers WHERE destination_flow_id = ? OR after_hours_flow_id = ? ORDER BY id');
  const insert = db.prepare(`INSERT INTO numbers (number, trunk_id, is_inbound, destination_kind, destination_extension_id, destination_flow_id, after_hours_kind,
      after_hours_extension_id, after_hours_flow_id, timezone, is_caller_id, recording_policy_id, has_survey, created_at, updated_at)
    VALUES (@number, @trunkId, @isInbound, @destinationKind, @destinationExtensionId, @destinationFlowId, @afterHoursKind,
      @afterHoursExtensionId, @afterHoursFlowId, @timezone, @isCallerId, @recordingPolicyId, @hasSurvey, @now, @now)`);
  const update = db.prepare(`UPDATE numbers SET number = @number, trunk_id = @trunkId, is_inbound = @isInbound, destination_kind = @destinationKind,
    destination_extension_id = @destinationExtensionId, destination_flow_id = @destinationFlowId, after_hours_kind = @afterHoursKind,
    after_hours_extension_id = @afterHoursExtensionId, after_hours_flow_id = @afterHoursFlowId,
    timezone = @timezone, is_caller_id = @isCallerId, recording_policy_id = @recordingPolicyId, has_survey = @hasSurvey, updated_at = @now WHERE id = @id`);
  const del = db.prepare('DELETE FROM numbers WHERE id = ?');
  const hoursOf = db.prepare<[number], HoursRow>('SELECT * FROM number_hours WHERE number_id = ? ORDER BY weekday, opens');
  const allHours = db.prepare<[], HoursRow>('SELECT * FROM number_hours ORDER BY number_id, weekday, opens');
  const holidaysOf = db.prepare<[number], HolidayRow>('SELECT * FROM number_holidays WHERE number_id = ? ORDER BY date');
  const allHolidays = db.prepare<[], HolidayRow>('SELECT * FROM number_holidays ORDER BY number_id, date');
  const clearHours = db.prepare('DELETE FROM number_hours WHERE number_id = ?');
  const clearHolidays = db.prepare('DELETE FROM number_holidays WHERE number_id = ?');
  const addHours = db.prepare('INSERT INTO number_hours (number_id, weekday, opens, closes) VALUES (?, ?, ?, ?)');
  const addHoliday = db.prepare('INSERT INTO number_holidays (number_id, date, label) VALUES (?, ?, ?)');

  const toInterval = (h: HoursRow): OpenInterval => ({ day: WEEKDAYS[h.weekday - 1]!, opens: h.opens, closes: h.closes });
  const toNumber = (r: Row, hours: HoursRow[], holidays: HolidayRow[]): NumberRoute => ({
    id: r.id,
    number: r.number,
    trunkId: r.trunk_id,
    isInbound: r.is_inbound === 1,
    destinationKind: r.destination_kind,
    destinationExtensionId: r.destination_extension_id,
    destinationFlowId: r.destination_flow_id,
    afterHoursKind: r.after_hours_kind,
    afterHoursExtensionId: r.after_hours_extension_id,
    afterHoursFlowId: r.after_hours_flow_id,
    schedule: r.timezone === null ? null : { timezone: r.timezone, hours: hours.map(toInterval), holidays: holidays.map((h): Holiday => ({ date: h.date, label: h.label })) },
    isCallerId: r.is_caller_id === 1,
    recordingPolicyId: r.recording_policy_id,
    hasSurvey: r.has_survey === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const one = (r: Row | undefined) => r && toNumber(r, hoursOf.all(r.id), holidaysOf.all(r.id));
  /** Many numbers with two queries for all schedules, not two per number. */
  const many = (rows: Row[]) => {
    if (!rows.some((r) => r.timezone !== null)) return rows.map((r) => toNumber(r, [], []));
    const hours = byNumberId(allHours.all());
    const holidays = byNumberId(allHolidays.all());
    return rows.map((r) => toNumber(r, hours.get(r.id) ?? [], holidays.get(r.id) ?? []));
  };
  const values = (n: NumberInput, now: string) => ({
    number: n.number,
    trunkId: n.trunkId,
    isInbound: n.isInbound ? 1 : 0,
    destinationKind: n.destinationKind,
    destinationExtensionId: n.destinationExtensionId,
    destinationFlowId: n.destinationFlowId,
    afterHoursKind: n.afterHoursKind,
    afterHoursExtensionId: n.afterHoursExtensionId,
    afterHoursFlowId: n.afterHoursFlowId,
    timezone: n.schedule?.timezone ?? null,
    isCallerId: n.isCallerId ? 1 : 0,
    recordingPolicyId: n.recordingPolicyId,
    hasSurvey: n.hasSurvey ? 1 : 0,
    now,
  });
  const saveSchedule = (id: number, n: NumberInput) => {
    clearHours.run(id);
    clearHolidays.run(id);
    for (const h of n.schedule?.hours ?? []) addHours.run(id, WEEKDAYS.indexOf(h.day) + 1, h.opens, h.closes);
    for (const h of n.schedule?.holidays ?? []) addHoliday.run(id, h.date, h.label);
  };
  return {
    findById: (id: number) => one(byId.get(id)),
    findByNumber: (n: string) => one(byNumber.get(n)),
    all: () => many(all.all()),
    onTrunk: (trunkId: number) => many(byTrunk.all(trunkId)),
    toExtension: (extensionId: number) => many(byExtension.all(extensionId, extensionId)),
    toFlow: (flowId: number) => many(byFlow.all(flowId, flowId)),
    recordedBy: (policyId: number) => many(byPolicy.all(policyId)),
    /** Callers run these in a transaction: the number and its schedule change together. */
    insert: (n: NumberInput, now: string) => {
      const id = Number(insert.run(values(n, now)).lastInsertRowid);
      saveSchedule(id, n);
      return id;
    },
    update: (id: number, n: NumberInput, now: string) => {
      update.run({ ...values(n, now), id });
      saveSchedule(id, n);
    },
    delete: (id: number) => del.run(id),
  };
}
function byNumberId<T extends { number_id: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.number_id);
    if (list) list.push(r);
    else out.set(r.number_id, [r]);
  }
  return out;
}
export type NumberRepository = ReturnType<typeof createNumberRepository>;
