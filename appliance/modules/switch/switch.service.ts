import { XMLParser } from 'fast-xml-parser';
import type { ConfigPublisher } from '../../confgen/publish.js';
import { commands } from '../../freeswitch/commands.js';
import type { SwitchPort } from '../../freeswitch/switch.port.js';
import type { SwitchEvents } from '../../freeswitch/switch.types.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../users/users.types.js';

export interface LiveSwitch {
  status: ReturnType<SwitchPort['status']>;
  /** Present only while connected; each part is null when FreeSWITCH could not answer it. */
  core: { uptimeSeconds: number; sessions: number; peak: number; maxSessions: number; channels: number } | null;
  profiles: { name: string; address: string; state: string; isRunning: boolean }[] | null;
  gateways: { name: string; profile: string; state: string; status: string }[] | null;
  registrations: { user: string; realm: string; contact: string; address: string; transport: string; expires: string }[] | null;
  heartbeat: SwitchEvents['heartbeat'] | null;
  errors: string[];
}

const xml = new XMLParser({ isArray: (name) => ['profile', 'alias', 'gateway'].includes(name) });

/** The console's view of FreeSWITCH: live state read from the switch, and publishing its configuration. */
export class SwitchService {
  private heartbeat: SwitchEvents['heartbeat'] | null = null;

  constructor(private readonly d: { sw: SwitchPort; publisher: ConfigPublisher; audit: AuditService }) {
    d.sw.on('heartbeat', (h) => (this.heartbeat = h));
  }

  async live(): Promise<LiveSwitch> {
    const out: LiveSwitch = { status: this.d.sw.status(), core: null, profiles: null, gateways: null, registrations: null, heartbeat: this.heartbeat, errors: [] };
    if (!this.d.sw.isConnected) return out;
    const ask = async <T>(what: string, run: () => Promise<T>): Promise<T | null> => {
      try {
        return await run();
      } catch (e) {
        out.errors.push(`${what}: ${(e as Error).message}`);
        return null;
      }
    };
    const sw = this.d.sw;
    [out.core, out.profiles, out.gateways, out.registrations] = await Promise.all([
      ask('status', async () => parseStatus(await sw.api(commands.status()), await sw.api(commands.showChannels()))),
      ask('SIP profiles', async () => parseProfiles(await sw.api(commands.sofiaStatus()))),
      ask('gateways', async () => parseGateways(await sw.api(commands.sofiaGateways()))),
      ask('registrations', async () => parseRegistrations(await sw.api(commands.showRegistrations()))),
    ]);
    return out;
  }

  publish(actor: Actor) {
    const result = this.d.publisher.publish('published from the console', actor.name);
    return result.then((r) => {
      this.d.audit.record(actor, { action: 'config.published', entityType: 'config_revision', entityId: r.revision, summary: `published the FreeSWITCH configuration (revision ${r.revision}: ${r.status})` });
      return r;
    });
  }

  revisions(page: number) {
    return this.d.publisher.revisions(page);
  }

  revision(id: number) {
    return this.d.publisher.revision(id);
  }
}

export function parseStatus(status: string, channels: string) {
  const num = (re: RegExp) => Number(re.exec(status)?.[1] ?? 0);
  // "UP 0 years, 0 days, 2 hours, 5 minutes, 1 second, 5 milliseconds, 7 microseconds"
  const up = /^UP (\d+) years?, (\d+) days?, (\d+) hours?, (\d+) minutes?, (\d+) seconds?/m.exec(status);
  const [y, d, h, m, s] = (up?.slice(1) ?? []).map(Number) as [number?, number?, number?, number?, number?];
  return {
    uptimeSeconds: ((((y ?? 0) * 365 + (d ?? 0)) * 24 + (h ?? 0)) * 60 + (m ?? 0)) * 60 + (s ?? 0),
    sessions: num(/^(\d+) session\(s\) - peak/m),
    peak: num(/session\(s\) - peak (\d+)/),
    maxSessions: num(/^(\d+) session\(s\) max/m),
    channels: Number((JSON.parse(channels) as { row_count: number }).row_count),
  };
}

export function parseProfiles(text: string) {
  const doc = xml.parse(text) as { profiles?: { profile?: { name: string; data: string; state: string }[] } };
  return (doc.profiles?.profile ?? []).map((p) => ({ name: String(p.name), address: String(p.data), state: String(p.state), isRunning: String(p.state).startsWith('RUNNING') }));
}

export function parseGateways(text: string) {
  const doc = xml.parse(text) as { gateways?: { gateway?: { name: string; profile: string; state: string; status: string }[] } | '' };
  const list = typeof doc.gateways === 'object' ? (doc.gateways.gateway ?? []) : [];
  return list.map((g) => ({ name: String(g.name), profile: String(g.profile ?? ''), state: String(g.state ?? ''), status: String(g.status ?? '') }));
}

export function parseRegistrations(text: string) {
  const doc = JSON.parse(text) as { rows?: Record<string, string>[] };
  return (doc.rows ?? []).map((r) => ({
    user: r.reg_user ?? '',
    realm: r.realm ?? '',
    contact: r.url ?? '',
    address: `${r.network_ip ?? ''}:${r.network_port ?? ''}`,
    transport: r.network_proto ?? '',
    expires: r.expires ? new Date(Number(r.expires) * 1000).toISOString() : '',
  }));
}
