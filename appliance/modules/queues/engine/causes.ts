/**
 * What a failed offer's hangup cause means for the agent, in one table. A miss counts towards the break
 * (missesBeforeBreak); a busy phone or an unexpected failure cools the agent down for a while, so the same phone is
 * not rung again at once; a device that cannot be reached counts as down until it registers again.
 */
export interface CauseEffect {
  /** Counts as a ring-no-answer (towards missesBeforeBreak). */
  miss: boolean;
  /** The agent rests COOLDOWN_MS before the next offer. */
  cooldown: boolean;
  /** The agent's device is considered down until an agent.device up. */
  deviceDown: boolean;
}

export const COOLDOWN_MS = 10_000;
/** The engine's own guard: an offer with no outcome ringTimeoutS + this long after it was made has timed out. */
export const GUARD_GRACE_S = 10;
/** The cause the engine gives an offer whose guard timer expired. */
export const GUARD_CAUSE = 'TIMEOUT';

const MISS: CauseEffect = { miss: true, cooldown: false, deviceDown: false };
const BUSY: CauseEffect = { miss: false, cooldown: true, deviceDown: false };
const UNREACHABLE: CauseEffect = { miss: false, cooldown: false, deviceDown: true };
const OTHER: CauseEffect = { miss: false, cooldown: true, deviceDown: false };

const CAUSES: Readonly<Record<string, CauseEffect>> = {
  // The phone rang and nobody took it, or the agent declined it.
  NO_ANSWER: MISS,
  ALLOTTED_TIMEOUT: MISS,
  NO_USER_RESPONSE: MISS,
  PROGRESS_TIMEOUT: MISS,
  RECOVERY_ON_TIMER_EXPIRE: MISS,
  CALL_REJECTED: MISS,
  // Our own cancels end the offer before the switch reports them, so a live offer's ORIGINATOR_CANCEL is not ours.
  ORIGINATOR_CANCEL: MISS,
  [GUARD_CAUSE]: MISS,
  // On another call (or do-not-disturb): not the agent's fault, but do not ring them again at once.
  USER_BUSY: BUSY,
  // Nothing to ring: the phone is not registered or the number does not reach it.
  USER_NOT_REGISTERED: UNREACHABLE,
  SUBSCRIBER_ABSENT: UNREACHABLE,
  DESTINATION_OUT_OF_ORDER: UNREACHABLE,
  NETWORK_OUT_OF_ORDER: UNREACHABLE,
  UNALLOCATED_NUMBER: UNREACHABLE,
};

export function causeEffect(cause: string): CauseEffect {
  return CAUSES[cause] ?? OTHER;
}
