/** Screen pops: CRM pages in the agent workbench, compatible with Huawei CEC's integration contract. */
export { ScreenPopService, sampleCall } from './screenpop.service.js';
export { ClickToCallService } from './click-to-call.service.js';
export { screenPopRoutes, requestOrigin } from './screenpop.routes.js';
export { clickToCallApiRoutes } from './click-to-call.routes.js';
export { sdkRoutes, HUAWEI_SDK_PATH } from './sdk.routes.js';
export { popCsp, extendCsp, normalizeOrigin } from './origins.js';
export { buildPops, sdkEvent, type BuiltPop, type SdkEventData, type SdkEventName } from './pop.js';
export { checkFrame, frameVerdict, type FrameCheck } from './frame-check.js';
export * from './screenpop.types.js';
