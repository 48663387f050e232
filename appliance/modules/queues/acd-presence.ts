import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { ChannelInfo } from '../../freeswitch/switch.types.js';
import type { AcdEvent } from './engine/types.js';
import type { AcdSource } from './acd.source.js';

/** The extension a SIP channel belongs to: a phone's own call (sofia/internal/1001@domain) or a leg to it (…@ip:port). */
const PHONE_CHANNEL = /^sofia\/internal\/(?:sips?:)?([0-9]{2,6})@/;

/** Whose phones are registered (RegistrationTracker's view). */
export interface Phones {
  devicesOf(user: string): unknown[];
  onChange(fn: (user: string | null) => void): () => void;
}

/**
 * Ties availability to the phone, the peers' worst gap: an agent whose device is not registered is not offered
 * calls (agent.device), and an agent whose phone is on a call that is not a queue call is busy (agent.busy).
 * Agents on an external number have no registration to watch; their device counts as up.
 */
export class Presence {
  /** Non-queue channels per agent. */
  private readonly busy = new Map<number, Set<string>>();
  private readonly off: (() => void)[] = [];

  constructor(
    private readonly d: {
      sw: SwitchPort;
      phones: Phones;
      source: AcdSource;
      feed: (e: AcdEvent) => void;
      agentIds: () => number[];
    },
  ) {}

  start(): void {
    this.off.push(
      this.d.phones.onChange((user) => (user === null ? this.all() : this.one(user))),
      this.d.sw.on('channel.created', (e) => this.created(e)),
      this.d.sw.on('channel.hungup', (e) => this.ended(e.uuid)),
    );
    this.all();
  }

  stop(): void {
    for (const f of this.off.splice(0)) f();
  }

  /** Every agent's device, as the registrations say now. */
  all(): void {
    for (const id of this.d.agentIds()) this.device(id);
  }

  /** The agent's non-queue channels (for the reconciler). */
  busyChannels(agentId: number): string[] {
    return [...(this.busy.get(agentId) ?? [])];
  }

  /** A busy channel the switch no longer has (the reconciler found it). */
  ended(uuid: string): void {
    for (const [agentId, set] of this.busy) {
      if (set.delete(uuid) && set.size === 0) {
        this.busy.delete(agentId);
        this.d.feed({ kind: 'agent.busy', agentId, busy: false });
      }
    }
  }

  device(agentId: number): void {
    const dev = this.d.source.device(agentId);
    const up = !dev || dev.kind === 'external' || this.d.phones.devicesOf(dev.extension).length > 0;
    this.d.feed({ kind: 'agent.device', agentId, up });
  }

  private one(user: string): void {
    const id = this.d.source.agentByExtension(user);
    if (id !== null) this.device(id);
  }

  private created(e: ChannelInfo): void {
    // Our own offer legs carry the agent's id: those are queue calls, not busy.
    if (e.vars.agent_id) return;
    const m = PHONE_CHANNEL.exec(e.channelName);
    const id = m ? this.d.source.agentByExtension(m[1]!) : null;
    if (id === null) return;
    const set = this.busy.get(id) ?? new Set<string>();
    set.add(e.uuid);
    this.busy.set(id, set);
    if (set.size === 1) this.d.feed({ kind: 'agent.busy', agentId: id, busy: true });
  }
}
