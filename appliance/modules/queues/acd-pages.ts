import type { AcdRunner } from './acd-runner.js';

/** How long an agent's last workbench page may be gone before a browser-phone agent is set not ready. */
export const PAGE_GRACE_MS = 30_000;
export const PAGE_CLOSED = 'Page closed';

/**
 * The workbench page's live stream is its heartbeat. A browser phone lives in that page: when the agent's last
 * page has been gone for PAGE_GRACE_MS (closed, crashed, network lost), their phone is gone with it, so the
 * agent is set not ready rather than offered calls nobody can answer. A desk-phone agent may close the page.
 */
export class PageWatch {
  private readonly open = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly d: { runner: AcdRunner; usesBrowserPhone: (agentId: number) => boolean; graceMs?: number }) {}

  opened(agentId: number): void {
    this.open.set(agentId, (this.open.get(agentId) ?? 0) + 1);
    clearTimeout(this.timers.get(agentId));
    this.timers.delete(agentId);
  }

  closed(agentId: number): void {
    const n = (this.open.get(agentId) ?? 1) - 1;
    if (n > 0) return void this.open.set(agentId, n);
    this.open.delete(agentId);
    const t = setTimeout(() => this.lost(agentId), this.d.graceMs ?? PAGE_GRACE_MS);
    t.unref();
    this.timers.set(agentId, t);
  }

  private lost(agentId: number): void {
    this.timers.delete(agentId);
    if (this.open.has(agentId) || !this.d.usesBrowserPhone(agentId)) return;
    const a = this.d.runner.acd.agent(agentId);
    if (!a || a.state === 'logged_out' || a.state === 'not_ready') return;
    try {
      this.d.runner.notReady(agentId, PAGE_CLOSED, 'system (workbench page gone)');
    } catch (err) {
      this.d.runner.log.warn({ err, agentId }, 'could not set an agent whose page is gone not ready');
    }
  }
}
