import type { Result } from './records.types.js';

/**
 * FreeSWITCH's hangup cause (Q.850 names) to the outbound result codes of the products we replace. Carriers
 * differ: "powered off" and "suspended" are often only said in an announcement, so these are the causes that
 * carriers commonly send for each, and anything else is "other" rather than a guess.
 */
const BY_CAUSE: Record<string, Result> = {
  USER_BUSY: 'busy',
  NO_ANSWER: 'no_answer',
  NO_USER_RESPONSE: 'no_answer',
  ORIGINATOR_CANCEL: 'no_answer',
  ALLOTTED_TIMEOUT: 'no_answer',
  PROGRESS_TIMEOUT: 'no_answer',
  CALL_REJECTED: 'rejected',
  USER_CHALLENGE: 'rejected',
  NO_ROUTE_DESTINATION: 'unreachable',
  NO_ROUTE_TRANSIT_NET: 'unreachable',
  DESTINATION_OUT_OF_ORDER: 'unreachable',
  USER_NOT_REGISTERED: 'unreachable',
  SUBSCRIBER_ABSENT: 'powered_off',
  INCOMING_CALL_BARRED: 'suspended',
  OUTGOING_CALL_BARRED: 'suspended',
  FACILITY_REJECTED: 'suspended',
  UNALLOCATED_NUMBER: 'not_exist',
  NUMBER_CHANGED: 'not_exist',
  INVALID_NUMBER_FORMAT: 'not_exist',
  NETWORK_OUT_OF_ORDER: 'call_lost',
  NORMAL_TEMPORARY_FAILURE: 'call_lost',
  SWITCH_CONGESTION: 'call_lost',
  NORMAL_CIRCUIT_CONGESTION: 'call_lost',
  RECOVERY_ON_TIMER_EXPIRE: 'call_lost',
  MEDIA_TIMEOUT: 'call_lost',
  GATEWAY_DOWN: 'call_lost',
};

/** The result of an outbound call: success once the customer answered, else what the cause says. */
export function resultOf(answered: boolean, cause: string | null): Result {
  if (answered) return 'success';
  return (cause && BY_CAUSE[cause]) || 'other';
}

/** In words, for pages and CSV. */
export const RESULT_LABELS: Record<Result, string> = {
  success: 'Success',
  busy: 'Busy',
  no_answer: 'No answer',
  rejected: 'Rejected',
  unreachable: 'Unreachable',
  powered_off: 'Powered off',
  suspended: 'Suspended',
  not_exist: 'Number does not exist',
  call_lost: 'Call lost',
  other: 'Other',
};
