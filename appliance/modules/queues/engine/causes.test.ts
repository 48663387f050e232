import test from 'ava';
import { causeEffect, GUARD_CAUSE } from './causes.js';

test('the cause table: misses, busy, unreachable devices, and anything else cools down', (t) => {
  for (const c of ['NO_ANSWER', 'ALLOTTED_TIMEOUT', 'NO_USER_RESPONSE', 'CALL_REJECTED', 'ORIGINATOR_CANCEL', GUARD_CAUSE]) t.deepEqual(causeEffect(c), { miss: true, cooldown: false, deviceDown: false }, c);
  t.deepEqual(causeEffect('USER_BUSY'), { miss: false, cooldown: true, deviceDown: false });
  for (const c of ['USER_NOT_REGISTERED', 'SUBSCRIBER_ABSENT', 'DESTINATION_OUT_OF_ORDER', 'NETWORK_OUT_OF_ORDER', 'UNALLOCATED_NUMBER']) t.deepEqual(causeEffect(c), { miss: false, cooldown: false, deviceDown: true }, c);
  t.deepEqual(causeEffect('NORMAL_TEMPORARY_FAILURE'), { miss: false, cooldown: true, deviceDown: false });
  t.deepEqual(causeEffect('toString'), { miss: false, cooldown: true, deviceDown: false }, 'not fooled by Object.prototype');
});
