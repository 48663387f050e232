import type { NodeKind } from '../types.js';
import { collect } from './collect.js';
import { condition } from './condition.js';
import { hangup } from './hangup.js';
import { http } from './http.js';
import { menu } from './menu.js';
import { play } from './play.js';
import { set } from './set.js';
import { survey } from './survey.js';
import { time } from './time.js';
import { transfer } from './transfer.js';
import { voicemail } from './voicemail.js';

/** Every node kind, in the order the editor offers them. A new kind is one file and one entry here. */
export const NODE_KINDS: readonly NodeKind[] = [play, menu, collect, time, http, condition, set, transfer, voicemail, survey, hangup] as unknown as NodeKind[];

const byKind = new Map(NODE_KINDS.map((k) => [k.kind, k]));
export function nodeKind(kind: string): NodeKind | null {
  return byKind.get(kind) ?? null;
}
