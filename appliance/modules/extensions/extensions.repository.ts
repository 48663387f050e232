import type { Db } from '../../db/database.js';
import { containsPattern } from '../../db/sql.js';
import type { Extension, ExtensionInput } from './extensions.types.js';

interface Row {
  id: number;
  number: string;
  display_name: string;
  sip_password: string;
  dnd: 0 | 1;
  is_enabled: 0 | 1;
  call_class: Extension['callClass'];
  forward_always: string | null;
  forward_busy: string | null;
  forward_no_answer: string | null;
  no_answer_seconds: number;
  voicemail_enabled: 0 | 1;
  voicemail_pin: string | null;
  out_concurrent: number | null;
  out_per_hour: number | null;
  browser_phone: 0 | 1;
  created_at: string;
  updated_at: string;
}

const toExtension = (r: Row): Extension => ({
  id: r.id,
  number: r.number,
  displayName: r.display_name,
  dnd: r.dnd === 1,
  isEnabled: r.is_enabled === 1,
  callClass: r.call_class,
  forwardAlways: r.forward_always,
  forwardBusy: r.forward_busy,
  forwardNoAnswer: r.forward_no_answer,
  noAnswerSeconds: r.no_answer_seconds,
  voicemailEnabled: r.voicemail_enabled === 1,
  hasVoicemailPin: r.voicemail_pin !== null,
  outConcurrent: r.out_concurrent,
  outPerHour: r.out_per_hour,
  browserPhone: r.browser_phone === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

// What the form gives (extensions.types.ts); a CSV row gives only the first five, the rest take their defaults.
type CsvFields = 'number' | 'displayName' | 'dnd' | 'isEnabled' | 'callClass';
type ExtensionFields = Pick<ExtensionInput, CsvFields> & Partial<Omit<ExtensionInput, CsvFields>>;
const withDefaults = (e: ExtensionFields & { sipPassword?: string }) => ({
  ...e,
  dnd: e.dnd ? 1 : 0,
  isEnabled: e.isEnabled ? 1 : 0,
  forwardAlways: e.forwardAlways ?? null,
  forwardBusy: e.forwardBusy ?? null,
  forwardNoAnswer: e.forwardNoAnswer ?? null,
  noAnswerSeconds: e.noAnswerSeconds ?? 20,
  voicemailEnabled: e.voicemailEnabled ? 1 : 0,
  voicemailPin: e.voicemailPin ?? null,
  outConcurrent: e.outConcurrent ?? null,
  outPerHour: e.outPerHour ?? null,
  browserPhone: e.browserPhone ? 1 : 0,
});

export function createExtensionRepository(db: Db) {
  const byId = db.prepare<[number], Row>('SELECT * FROM extensions WHERE id = ?');
  const byNumber = db.prepare<[string], Row>('SELECT * FROM extensions WHERE number = ?');
  const insert = db.prepare(`INSERT INTO extensions (number, display_name, sip_password, dnd, is_enabled, call_class, forward_always,
    forward_busy, forward_no_answer, no_answer_seconds, voicemail_enabled, voicemail_pin, out_concurrent, out_per_hour, browser_phone, created_at, updated_at)
    VALUES (@number, @displayName, @sipPassword, @dnd, @isEnabled, @callClass, @forwardAlways, @forwardBusy, @forwardNoAnswer, @noAnswerSeconds,
      @voicemailEnabled, @voicemailPin, @outConcurrent, @outPerHour, @browserPhone, @now, @now)`);
  const update = db.prepare(`UPDATE extensions SET number = @number, display_name = @displayName, dnd = @dnd, is_enabled = @isEnabled,
    call_class = @callClass, forward_always = @forwardAlways, forward_busy = @forwardBusy, forward_no_answer = @forwardNoAnswer,
    no_answer_seconds = @noAnswerSeconds, voicemail_enabled = @voicemailEnabled, voicemail_pin = coalesce(@voicemailPin, voicemail_pin),
    out_concurrent = @outConcurrent, out_per_hour = @outPerHour, browser_phone = @browserPhone, updated_at = @now WHERE id = @id`);
  const password = db.prepare('UPDATE extensions SET sip_password = ?, updated_at = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM extensions WHERE id = ?');
  const all = db.prepare<[], Row>('SELECT * FROM extensions ORDER BY id');
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r && toExtension(r);
    },
    findByNumber: (n: string) => {
      const r = byNumber.get(n);
      return r && toExtension(r);
    },
    insert: (e: ExtensionFields & { sipPassword: string }, now: string) =>
      Number(insert.run({ ...withDefaults(e), now }).lastInsertRowid),
    update: (id: number, e: ExtensionFields, now: string) =>
      update.run({ ...withDefaults(e), id, now }),
    setPassword: (id: number, sipPassword: string, now: string) => password.run(sipPassword, now, id),
    /** The SIP password, for the signed-in agent's own browser phone only. */
    passwordOf: (id: number) => byId.get(id)?.sip_password ?? null,
    delete: (id: number) => del.run(id),
    all: () => all.all().map(toExtension),
    /** Everything the configuration generator needs, sorted by id so the output is deterministic. */
    forConfig: () => all.all().map((r) => ({ ...toExtension(r), sipPassword: r.sip_password, voicemailPin: r.voicemail_pin })),
    list(q: string | undefined, limit: number, offset: number): { items: Extension[]; total: number } {
      const where = q ? "WHERE number LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\'" : '';
      const params = q ? [containsPattern(q), containsPattern(q)] : [];
      const total = (db.prepare(`SELECT count(*) AS n FROM extensions ${where}`).get(...params) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM extensions ${where} ORDER BY CAST(number AS INTEGER) LIMIT ? OFFSET ?`).all(...params, limit, offset) as Row[];
      return { items: rows.map(toExtension), total };
    },
  };
}
export type ExtensionRepository = ReturnType<typeof createExtensionRepository>;
