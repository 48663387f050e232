import { commands } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { Registration } from '../../freeswitch/switch.types.js';
import type { Logger } from '../../logger.js';

export interface Device {
  user: string;
  contact: string;
  address: string;
  userAgent: string;
  expiresAt: number | null;
}

/**
 * Which phones are registered, per extension number: seeded from `show registrations` when FreeSWITCH
 * connects, then kept current by the register/unregister/expire events.
 */
export class RegistrationTracker {
  private readonly devices = new Map<string, Map<string, Device>>();
  private readonly listeners = new Set<(user: string | null) => void>();
  private seeding: Promise<void> = Promise.resolve();

  constructor(
    private readonly sw: SwitchPort,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    sw.on('registration.registered', (r) => (this.put(r), this.changed(r.user)));
    sw.on('registration.unregistered', (r) => (this.remove(r), this.changed(r.user)));
    sw.on('registration.expired', (r) => (this.remove(r), this.changed(r.user)));
    sw.onConnection((connected) => {
      this.devices.clear();
      this.seeding = connected ? this.seed() : Promise.resolve();
      this.changed(null);
    });
    if (sw.isConnected) this.seeding = this.seed();
  }

  /** Hear of changes: `user` is the extension whose phones changed, null for all (connect, reconnect). */
  onChange(fn: (user: string | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Settles once the registrations of a new connection have been read. */
  seeded(): Promise<void> {
    return this.seeding;
  }

  private changed(user: string | null): void {
    for (const fn of this.listeners) fn(user);
  }

  /** The devices registered for an extension now (expired ones are dropped as they are read). */
  devicesOf(user: string): Device[] {
    const set = this.devices.get(user);
    if (!set) return [];
    const now = this.now();
    for (const [k, d] of set) if (d.expiresAt !== null && d.expiresAt < now) set.delete(k);
    return [...set.values()];
  }

  private put(r: Registration): void {
    const set = this.devices.get(r.user) ?? new Map<string, Device>();
    set.set(r.callId || r.contact, { user: r.user, contact: r.contact, address: `${r.networkIp}:${r.networkPort ?? ''}`, userAgent: r.userAgent, expiresAt: r.expires ? r.at + r.expires * 1000 : null });
    this.devices.set(r.user, set);
  }

  private remove(r: Registration): void {
    const set = this.devices.get(r.user);
    if (!set) return;
    if (!set.delete(r.callId) && !set.delete(r.contact)) set.clear();
  }

  private async seed(): Promise<void> {
    try {
      const rows = (JSON.parse(await this.sw.api(commands.showRegistrations())) as { rows?: Record<string, string>[] }).rows ?? [];
      for (const row of rows) {
        const set = this.devices.get(row.reg_user ?? '') ?? new Map<string, Device>();
        set.set(row.token ?? row.url ?? '', { user: row.reg_user ?? '', contact: row.url ?? '', address: `${row.network_ip ?? ''}:${row.network_port ?? ''}`, userAgent: '', expiresAt: row.expires ? Number(row.expires) * 1000 : null });
        this.devices.set(row.reg_user ?? '', set);
      }
      this.changed(null);
    } catch (err) {
      this.log.warn({ err }, 'could not read the registrations');
    }
  }
}
