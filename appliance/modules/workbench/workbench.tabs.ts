/**
 * One active workbench per agent. The cloud products let an agent be logged in twice and suffer cross-talk: two
 * browser phones ringing, two pages acting on one call. Here the newest page takes over and the older one is told
 * why, stops its phone, and refuses actions until the agent takes it back.
 */
export class WorkbenchTabs {
  private readonly active = new Map<number, { tab: string; kick: (why: string) => void }>();

  /** A page opened its stream: it becomes the agent's workbench and any other is told. */
  open(agentId: number, tab: string, from: string, kick: (why: string) => void): void {
    const prev = this.active.get(agentId);
    if (prev && prev.tab !== tab) prev.kick(`Your workbench was opened in another window (${from}). This window no longer takes calls; use the other one, or take it back here.`);
    this.active.set(agentId, { tab, kick });
  }

  close(agentId: number, tab: string): void {
    if (this.active.get(agentId)?.tab === tab) this.active.delete(agentId);
  }

  /** Whether actions from this page count: it is the agent's workbench (or none is open, e.g. a plain form). */
  allows(agentId: number, tab: string | undefined): boolean {
    const a = this.active.get(agentId);
    return !a || tab === undefined || a.tab === tab;
  }
}
