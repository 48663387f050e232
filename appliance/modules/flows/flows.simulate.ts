import { ValidationError } from '../../errors.js';
import { isIanaZone, scheduleZones } from '../../timezones.js';
import { nodeKind } from './engine/nodes/index.js';
import type { Audio, FlowDefinition, Lookups } from './engine/types.js';
import { branchesOf, graphSvg } from './flows.view.js';
import type { Scenario, SimEvent } from './simulator.js';

// The simulator's inputs (the console's form and the JSON API) and its result as a page.

type Form = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const KEYS = /^[0-9*#]*$/;

/**
 * The caller's key presses: one answer per line, or space-separated on one line; `-` or an empty line presses
 * nothing. Trailing empty lines mean nothing: past the last answer the caller presses nothing anyway.
 */
export function readAnswers(text: string): string[] | null {
  const raw = text.includes('\n') ? text.split(/\r?\n/).map((l) => l.trim()) : text.trim().split(/\s+/).filter(Boolean);
  while (raw.length && raw.at(-1) === '') raw.pop();
  const answers = raw.map((a) => (a === '-' ? '' : a));
  return answers.every((a) => KEYS.test(a) && a.length <= 30) && answers.length <= 100 ? answers : null;
}

/** A zone's offset from UTC at an instant, in ms (what its clocks show minus UTC). */
function zoneOffset(at: number, zone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(at / 1000) * 1000;
}

/** A wall-clock date and time in a zone as an instant; null when the date or time is not one. */
export function localToInstant(date: string, time: string, zone: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  const back = new Date(wall);
  if (back.getUTCDate() !== Number(d[3]) || back.getUTCHours() !== Number(t[1]) || back.getUTCMinutes() !== Number(t[2])) return null;
  // Twice: the offset at the guess may differ from the offset at the answer near a daylight-saving change.
  const first = wall - zoneOffset(wall, zone);
  return wall - zoneOffset(first, zone);
}

/** The instant as the form's date and time fields in a zone. */
export function instantToLocal(at: number, zone: string): { date: string; time: string } {
  const iso = new Date(at + zoneOffset(at, zone)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** The flow's HTTP request nodes: each gets a canned answer in the simulator. */
export const httpNodes = (def: FlowDefinition) => def.nodes.filter((n) => n.kind === 'http');

/** The zone the form starts with: the first time condition's, so "now" means now where the flow's hours are. */
export function defaultZone(def: FlowDefinition): string {
  const z = def.nodes.find((n) => n.kind === 'time')?.config.timezone;
  return typeof z === 'string' && isIanaZone(z) ? z : 'UTC';
}

export function simulatorValues(def: FlowDefinition, now: number): Record<string, string> {
  const timezone = defaultZone(def);
  return { answers: '', callerNumber: '+15550100', calledNumber: '+15550199', timezone, ...instantToLocal(now, timezone), version: '' };
}

export const zoneOptions = (current: string) => [...new Set([current, ...scheduleZones()])].filter(Boolean).map((z) => ({ value: z, label: z.replaceAll('_', ' '), selected: z === current }));

/** The console's form as a scenario and a version (null: the draft); bad input is a field error each. */
export function readSimulatorForm(form: Form, def: FlowDefinition): { scenario: Scenario; version: number | null } {
  const errors: Record<string, string> = {};
  const answers = readAnswers(typeof form.answers === 'string' ? form.answers : '');
  if (!answers) errors.answers = 'Keys only (0–9, * and #), one answer per line or separated by spaces; - for nothing pressed.';
  const zone = str(form.timezone) || 'UTC';
  if (!isIanaZone(zone)) errors.timezone = 'Choose a time zone from the list.';
  const at = localToInstant(str(form.date), str(form.time), isIanaZone(zone) ? zone : 'UTC');
  if (at === null) errors.date = 'A date (YYYY-MM-DD) and a time (HH:MM).';
  const http: Scenario['http'] = {};
  for (const n of httpNodes(def)) {
    const status = str(form[`http_${n.id}_status`]);
    if (!status) continue;
    if (!/^[1-5][0-9]{2}$/.test(status)) errors[`http_${n.id}_status`] = 'An HTTP status such as 200 or 404, or empty for no answer.';
    else http[n.id] = { status: Number(status), body: typeof form[`http_${n.id}_body`] === 'string' ? (form[`http_${n.id}_body`] as string) : '' };
  }
  const version = str(form.version) === '' ? null : /^\d{1,6}$/.test(str(form.version)) ? Number(str(form.version)) : NaN;
  if (Number.isNaN(version)) errors.version = 'Choose the draft or a published version.';
  if (Object.keys(errors).length) throw new ValidationError('flow.simulation_invalid', errors, 'Some fields need attention.');
  return { scenario: { answers: answers!, at: at!, http, callerNumber: str(form.callerNumber).slice(0, 40), calledNumber: str(form.calledNumber).slice(0, 40) }, version };
}

/** The JSON API's body: `{answers, at?, http?, callerNumber?, calledNumber?, version?}`. */
export function readSimulatorJson(body: unknown, now: number): { scenario: Scenario; version: number | null } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const answers = Array.isArray(b.answers) && b.answers.every((a) => typeof a === 'string' && KEYS.test(a)) ? (b.answers as string[]) : null;
  if (!answers) errors.answers = 'A list of strings of keys (0–9, * and #); "" presses nothing.';
  const at = b.at === undefined ? now : typeof b.at === 'string' ? Date.parse(b.at) : NaN;
  if (Number.isNaN(at)) errors.at = 'An ISO 8601 date and time, e.g. 2026-03-02T10:00:00Z.';
  const http: Scenario['http'] = {};
  if (b.http !== undefined && (typeof b.http !== 'object' || b.http === null)) errors.http = 'An object: node id → {status, body}.';
  for (const [node, v] of Object.entries((b.http ?? {}) as Record<string, unknown>)) {
    const a = (v ?? {}) as { status?: unknown; body?: unknown };
    if (typeof a.status !== 'number' || !Number.isInteger(a.status) || a.status < 100 || a.status > 599) errors.http = `${node}: status must be an HTTP status number.`;
    else http[node] = { status: a.status, body: typeof a.body === 'string' ? a.body : a.body === undefined ? '' : JSON.stringify(a.body) };
  }
  const version = b.version === undefined || b.version === null || b.version === 'draft' ? null : typeof b.version === 'number' && Number.isInteger(b.version) ? b.version : NaN;
  if (Number.isNaN(version)) errors.version = 'A published version number, or null for the draft.';
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v.slice(0, 40) : fallback);
  if (Object.keys(errors).length) throw new ValidationError('flow.simulation_invalid', errors, 'The simulation request is not valid.');
  return { scenario: { answers: answers!, at, http, callerNumber: text(b.callerNumber, '+15550100'), calledNumber: text(b.calledNumber, '+15550199') }, version };
}

interface SimResult {
  outcome: string;
  detail: string;
  steps: { node: string; kind: string; branch: string | null; digits: string[]; played: string[]; note: string | null }[];
  vars: Record<string, string>;
  events: SimEvent[];
}

const OUTCOMES: Record<string, string> = {
  transfer: 'Transferred',
  voicemail: 'Left in voicemail',
  hangup: 'Hung up by the flow',
  fallback: 'Sent to the fallback destination',
  caller_hangup: 'The caller hung up',
};

interface Heard {
  isPrompt: boolean;
  text: string | null;
  name: string | null;
  src: string | null;
  answer: string | null;
}

/** What the caller heard, in order: spoken text as text, library prompts as a player. */
function heard(audio: Audio | null, answer: string | null, promptName: (id: number) => string | null): Heard {
  if (!audio) return { isPrompt: false, text: '(listening, no prompt)', name: null, src: null, answer };
  if ('promptId' in audio) return { isPrompt: true, text: null, name: promptName(audio.promptId) ?? `Prompt #${audio.promptId}`, src: `/admin/prompts/${audio.promptId}/audio`, answer };
  // The same rendering a call would play (same text, voice, rate and volume, so the same cached file).
  const q = new URLSearchParams({ text: audio.text, voice: audio.voice, rate: String(audio.rate), volume: String(audio.volume) });
  return { isPrompt: false, text: audio.text, name: null, src: audio.text ? `/admin/flows/speech?${q}` : null, answer };
}

/** The result page's parts: the path as a table and on the graph, what played, the HTTP requests, the variables. */
export function resultView(r: SimResult, def: FlowDefinition, lookups: Lookups) {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const promptName = (id: number) => lookups.promptName(id);
  const prompts = r.events.flatMap((e): Heard[] => {
    if (e.kind === 'play') return [heard(e.audio, null, promptName)];
    if (e.kind === 'ask') return [heard(e.audio, e.answer === '' ? 'nothing' : e.answer, promptName)];
    return [];
  });
  return {
    outcome: r.outcome,
    outcomeLabel: OUTCOMES[r.outcome] ?? r.outcome,
    detail: r.detail,
    path: r.steps.map((s) => byId.get(s.node)?.name ?? s.node),
    steps: r.steps.map((s, i) => ({
      n: i + 1,
      node: s.node,
      name: byId.get(s.node)?.name ?? s.node,
      kind: nodeKind(s.kind)?.label ?? s.kind,
      // The branch as the editor labels it ("1 Sales"); escalations are already words.
      branch: (() => {
        const n = byId.get(s.node);
        return (n && branchesOf(n).find((b) => b.name === s.branch)?.label) ?? s.branch;
      })(),
      digits: s.digits.join(', '),
      played: s.played.map((p) => (p.startsWith('prompt:') ? `♪ ${promptName(Number(p.slice(7))) ?? p}` : `“${p}”`)),
      note: s.note,
    })),
    prompts,
    requests: r.events.flatMap((e) => (e.kind === 'http' ? [{ node: e.node, ...e.request, headers: Object.entries(e.request.headers).map(([k, v]) => `${k}: ${v}`), response: e.response }] : [])),
    vars: Object.entries(r.vars).map(([name, value]) => ({ name, value })),
    graph: graphSvg(def, lookups, [], r.steps.map((s) => s.node)),
  };
}
