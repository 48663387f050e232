import type { Role } from '../users/users.types.js';
import type { RecordQuery, Scope } from './records.query.js';

/** Who is asking: the signed-in user. */
export interface Viewer {
  id: number;
  role: Role;
}

/** What the rule needs of other modules (through their services). */
export interface AccessLookups {
  /** The agent a user is, if any (agents have a user). */
  agentIdOf(userId: number): number | null;
  /** The queues a user supervises. */
  supervisedQueues(userId: number): number[];
}

/**
 * Who may see which call records (and so hear their recordings). An admin sees every call; a supervisor the calls
 * that touched a queue they supervise, plus the calls they took as an agent; an agent only the calls in which they
 * were an agent. Everything else about a call the user may not see answers as if it did not exist.
 */
export class RecordAccess {
  constructor(
    private readonly query: RecordQuery,
    private readonly lookups: AccessLookups,
  ) {}

  scopeFor(user: Viewer): Scope {
    if (user.role === 'admin') return { all: true };
    const agentId = this.lookups.agentIdOf(user.id);
    const queueIds = user.role === 'supervisor' ? this.lookups.supervisedQueues(user.id) : [];
    return { all: false, queueIds, agentId };
  }

  /** Whether the user may see the call. The recordings' playback asks this before it sends a byte. */
  readonly canSee = (user: Viewer, callId: string): boolean => this.query.visible(callId, this.scopeFor(user));
}
