// The recordings module's public face: other modules and the composition root import from here only.
export { audioRoutes, type CanSee } from './audio.routes.js';
export { DiskGuard, type DiskStatus, type Statfs } from './disk-guard.js';
export { PolicyService, describePolicy } from './policies.service.js';
export { policyRoutes } from './policies.routes.js';
export { Recorder, type PolicyLookups } from './recorder.js';
export { RecordingService, type AudioFile } from './recordings.service.js';
export type { Recording, RecordingPolicy } from './recordings.types.js';
