import { GET_DEFAULTS, POST_DEFAULTS, type CallField, type Integration, type OpenMode, type PopCall, type PopParam, type ScreenPop, type Trigger } from './screenpop.types.js';

/** What the workbench does with one pop for one call (screen-pop-host.js reads this). */
export interface BuiltPop {
  id: number;
  name: string;
  openMode: OpenMode;
  integration: Integration;
  trigger: Trigger;
  /**
   * get: the page with the call's parameters and `origin`; post: the form's action, with `origin` only;
   * webapi: the page with `origin` only. With no call, get and post pops have their configured address.
   */
  url: string;
  /** post: the form fields in order, as [name, value]; empty otherwise. */
  fields: [string, string][];
}

/** Values of the Huawei fields. mediaType is always 1: Callbox calls are voice (5 would be text chat). */
function callValue(call: PopCall, field: CallField): string {
  switch (field) {
    case 'mediaType':
      return '1';
    case 'callType':
      return String(call.callType);
    default:
      return call[field];
  }
}

const isCallField = (key: string): key is CallField => (POST_DEFAULTS as readonly string[]).includes(key);

/** The [name, value] pairs a pop sends: only the mapped ones when it has a mapping, else the defaults. */
export function popFields(params: readonly PopParam[], integration: Integration, call: PopCall): [string, string][] {
  if (params.length === 0) {
    const defaults = integration === 'post' ? POST_DEFAULTS : GET_DEFAULTS;
    return defaults.map((f) => [f, callValue(call, f)]);
  }
  return params.map((p) => [p.name, p.source === 'call' ? (isCallField(p.key) ? callValue(call, p.key) : '') : (call.vars[p.key] ?? '')]);
}

/**
 * The workbench's origin as a query value. Huawei's sample CRM page splits its URL on & and = and uses the value
 * as postMessage's targetOrigin without decoding it, so : and / must stay as they are; anything else is encoded.
 */
const originValue = (origin: string) => encodeURIComponent(origin).replace(/%3A/gi, ':').replace(/%2F/gi, '/');

/** Append query pairs to a URL, keeping its own query and its #fragment. */
export function appendQuery(url: string, pairs: readonly (readonly [string, string])[], origin: string): string {
  const hashAt = url.indexOf('#');
  const base = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const query = [...pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`), `origin=${originValue(origin)}`].join('&');
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}${query}${hash}`;
}

/**
 * Each enabled pop, in list order, as the workbench opens it for this call. With no call (the workbench is
 * opening), webapi pops get their persistent address and the others their configured one.
 */
export function buildPops(pops: readonly ScreenPop[], call: PopCall | null, o: { origin: string }): BuiltPop[] {
  return [...pops]
    .filter((p) => p.isEnabled)
    .sort((a, b) => a.sortOrder - b.sortOrder)
    .map((p) => {
      const head = { id: p.id, name: p.name, openMode: p.openMode, integration: p.integration, trigger: p.trigger };
      if (p.integration === 'webapi') return { ...head, url: appendQuery(p.url, [], o.origin), fields: [] };
      if (!call) return { ...head, url: p.url, fields: [] };
      const fields = popFields(p.params, p.integration, call);
      // A POST page reads `origin` from its own address too (for click-to-dial), so the action carries it.
      if (p.integration === 'post') return { ...head, url: appendQuery(p.url, [], o.origin), fields };
      return { ...head, url: appendQuery(p.url, fields, o.origin), fields: [] };
    });
}

export type SdkEventName = 'Init' | 'Ringing' | 'Talking' | 'Release';

/** The eventData of AICCSupport.js (Huawei Table 4-6): every value a string, keys present even when null. */
export interface SdkEventData {
  callerNum: string | null;
  calledNum: string | null;
  callid: string | null;
  mediaType: 'audio' | null;
  callType: '0' | '1' | null;
  workNo: string;
  calldata: string | null;
}

/** The payload an SDK event carries. Init knows only the agent (Huawei sends the other keys as null). */
export function sdkEvent(name: 'Init', call: { workNo: string }): SdkEventData;
export function sdkEvent(name: SdkEventName, call: PopCall): SdkEventData;
export function sdkEvent(name: SdkEventName, call: PopCall | { workNo: string }): SdkEventData {
  if (name === 'Init' || !('callid' in call)) {
    return { callerNum: null, calledNum: null, callid: null, mediaType: null, callType: null, workNo: String(call.workNo), calldata: null };
  }
  return {
    callerNum: String(call.callerNum),
    calledNum: String(call.calledNum),
    callid: String(call.callid),
    mediaType: 'audio',
    callType: call.callType === 1 ? '1' : '0',
    workNo: String(call.workNo),
    calldata: JSON.stringify(call.vars),
  };
}
