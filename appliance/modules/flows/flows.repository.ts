import type { Db } from '../../db/database.js';
import type { FlowDefinition, Step } from './engine/types.js';
import type { FallbackKind, Flow, FlowInfo, FlowRun, FlowVersion } from './flows.types.js';

interface FlowRow {
  id: number;
  name: string;
  description: string;
  draft: string;
  fallback_kind: FallbackKind;
  fallback_extension_id: number | null;
  created_at: string;
  updated_at: string;
}
interface VersionRow {
  flow_id: number;
  version: number;
  definition: string;
  published_at: string;
  published_by: string;
}
interface RunRow {
  id: number;
  call_uuid: string;
  flow_id: number;
  version: number;
  number_id: number | null;
  caller: string;
  called: string;
  started_at: string;
  ended_at: string | null;
  outcome: string | null;
  detail: string | null;
  path: string;
  vars: string;
  survey: string | null;
}

const toFlow = (r: FlowRow): Flow => ({
  id: r.id,
  name: r.name,
  description: r.description,
  draft: JSON.parse(r.draft) as FlowDefinition,
  fallbackKind: r.fallback_kind,
  fallbackExtensionId: r.fallback_extension_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toVersion = (r: VersionRow): FlowVersion => ({ flowId: r.flow_id, version: r.version, definition: JSON.parse(r.definition) as FlowDefinition, publishedAt: r.published_at, publishedBy: r.published_by });
const toRun = (r: RunRow): FlowRun => ({
  id: r.id,
  callUuid: r.call_uuid,
  flowId: r.flow_id,
  version: r.version,
  numberId: r.number_id,
  caller: r.caller,
  called: r.called,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome,
  detail: r.detail,
  path: JSON.parse(r.path) as Step[],
  vars: JSON.parse(r.vars) as Record<string, string>,
  survey: r.survey,
});

export function createFlowRepository(db: Db) {
  const byId = db.prepare<[number], FlowRow>('SELECT * FROM flows WHERE id = ?');
  const byName = db.prepare<[string], FlowRow>('SELECT * FROM flows WHERE name = ?');
  const all = db.prepare<[], FlowRow>('SELECT * FROM flows ORDER BY name');
  const insert = db.prepare(`INSERT INTO flows (name, description, draft, fallback_kind, fallback_extension_id, created_at, updated_at)
    VALUES (@name, @description, @draft, @fallbackKind, @fallbackExtensionId, @now, @now)`);
  const updateInfo = db.prepare(`UPDATE flows SET name = @name, description = @description, fallback_kind = @fallbackKind,
    fallback_extension_id = @fallbackExtensionId, updated_at = @now WHERE id = @id`);
  const updateDraft = db.prepare('UPDATE flows SET draft = ?, updated_at = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM flows WHERE id = ?');
  const versions = db.prepare<[number], VersionRow>('SELECT * FROM flow_versions WHERE flow_id = ? ORDER BY version DESC');
  const version = db.prepare<[number, number], VersionRow>('SELECT * FROM flow_versions WHERE flow_id = ? AND version = ?');
  const latest = db.prepare<[number], VersionRow>('SELECT * FROM flow_versions WHERE flow_id = ? ORDER BY version DESC LIMIT 1');
  const addVersion = db.prepare('INSERT INTO flow_versions (flow_id, version, definition, published_at, published_by) VALUES (?, ?, ?, ?, ?)');
  const startRun = db.prepare(`INSERT INTO flow_runs (call_uuid, flow_id, version, number_id, caller, called, started_at)
    VALUES (@callUuid, @flowId, @version, @numberId, @caller, @called, @startedAt)`);
  // One step appended in SQLite: rewriting the whole path from JavaScript after every step grew with its square.
  const progress = db.prepare("UPDATE flow_runs SET path = json_insert(path, '$[#]', json(?)), vars = ? WHERE id = ?");
  const endRun = db.prepare('UPDATE flow_runs SET ended_at = ?, outcome = ?, detail = ?, path = ?, vars = ?, survey = ? WHERE id = ?');
  const runsOfCall = db.prepare<[string], RunRow>('SELECT * FROM flow_runs WHERE call_uuid = ? ORDER BY id');
  const recentRuns = db.prepare<[number, number], RunRow>('SELECT * FROM flow_runs WHERE flow_id = ? ORDER BY id DESC LIMIT ?');
  const openRuns = db.prepare<[], RunRow>('SELECT * FROM flow_runs WHERE ended_at IS NULL ORDER BY id');

  const info = (f: FlowInfo, now: string) => ({ name: f.name, description: f.description, fallbackKind: f.fallbackKind, fallbackExtensionId: f.fallbackExtensionId, now });
  return {
    findById: (id: number) => {
      const r = byId.get(id);
      return r ? toFlow(r) : null;
    },
    findByName: (name: string) => {
      const r = byName.get(name);
      return r ? toFlow(r) : null;
    },
    all: () => all.all().map(toFlow),
    insert: (f: FlowInfo, draft: FlowDefinition, now: string) => Number(insert.run({ ...info(f, now), draft: JSON.stringify(draft) }).lastInsertRowid),
    updateInfo: (id: number, f: FlowInfo, now: string) => updateInfo.run({ ...info(f, now), id }),
    saveDraft: (id: number, draft: FlowDefinition, now: string) => updateDraft.run(JSON.stringify(draft), now, id),
    delete: (id: number) => del.run(id),
    versions: (flowId: number) => versions.all(flowId).map(toVersion),
    version: (flowId: number, v: number) => {
      const r = version.get(flowId, v);
      return r ? toVersion(r) : null;
    },
    latest: (flowId: number) => {
      const r = latest.get(flowId);
      return r ? toVersion(r) : null;
    },
    publish: (flowId: number, v: number, definition: FlowDefinition, at: string, by: string) => addVersion.run(flowId, v, JSON.stringify(definition), at, by),
    startRun: (r: { callUuid: string; flowId: number; version: number; numberId: number | null; caller: string; called: string; startedAt: string }) => Number(startRun.run(r).lastInsertRowid),
    /** A finished step, and the variables as they are now. */
    progress: (id: number, step: Step, vars: Record<string, string>) => progress.run(JSON.stringify(step), JSON.stringify(vars), id),
    endRun: (id: number, r: { at: string; outcome: string; detail: string; path: Step[]; vars: Record<string, string>; survey: string | null }) =>
      endRun.run(r.at, r.outcome, r.detail, JSON.stringify(r.path), JSON.stringify(r.vars), r.survey, id),
    runsOfCall: (callUuid: string) => runsOfCall.all(callUuid).map(toRun),
    recentRuns: (flowId: number, limit: number) => recentRuns.all(flowId, limit).map(toRun),
    openRuns: () => openRuns.all().map(toRun),
  };
}
export type FlowRepository = ReturnType<typeof createFlowRepository>;
