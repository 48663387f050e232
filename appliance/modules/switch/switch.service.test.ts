import test from 'ava';
import { recordedApiReplies } from '../../freeswitch/testing/fake-esl-server.js';
import { parseGateways, parseProfiles, parseRegistrations, parseStatus } from './switch.service.js';

// `sofia xmlstatus` as FreeSWITCH 1.10.12 answered it on the generated configuration (real-switch tier run).
const XMLSTATUS = `<?xml version="1.0" encoding="ISO-8859-1"?>
<profiles>
<alias>
<name>127.0.0.1</name>
<type>alias</type>
<data>internal</data>
<state>ALIASED</state>
</alias>
<profile>
<name>external</name>
<type>profile</type>
<data>sip:mod_sofia@127.0.0.1:35481</data>
<state>RUNNING (0)</state>
</profile>
<profile>
<name>internal</name>
<type>profile</type>
<data>sip:mod_sofia@127.0.0.1:32973;transport=ws</data>
<state>RUNNING (0) (WS)</state>
</profile>
</profiles>
`;

test('switch page: status, profiles, gateways and registrations are read from FreeSWITCH answers', (t) => {
  const recorded = recordedApiReplies();
  const core = parseStatus(recorded.get('status')!, recorded.get('show channels as json')!);
  t.true(core.uptimeSeconds > 0);
  t.is(core.maxSessions, 1000);
  t.is(core.channels, 0);
  t.deepEqual(parseProfiles(XMLSTATUS), [
    { name: 'external', address: 'sip:mod_sofia@127.0.0.1:35481', state: 'RUNNING (0)', isRunning: true },
    { name: 'internal', address: 'sip:mod_sofia@127.0.0.1:32973;transport=ws', state: 'RUNNING (0) (WS)', isRunning: true },
  ]);
  t.deepEqual(parseGateways('<?xml version="1.0" encoding="ISO-8859-1"?>\n<gateways>\n</gateways>\n'), []);
  t.deepEqual(parseGateways('<gateways><gateway><name>trunk_1</name><profile>external</profile><state>REGED</state><status>UP</status></gateway></gateways>'), [{ name: 'trunk_1', profile: 'external', state: 'REGED', status: 'UP' }]);
  const regs = parseRegistrations(recorded.get('show registrations as json')!);
  t.true(regs.length >= 1);
  t.regex(regs[0]!.contact, /^sofia\/internal\/sip:/);
  t.regex(regs[0]!.expires, /^20\d\d-/);
  t.deepEqual(parseRegistrations('{"row_count": 0}\n'), []);
});
