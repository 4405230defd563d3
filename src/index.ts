/** flowscribe's library API: what the CLI, the tests and bench/ import. */
export * from './errors.js';
export * from './model/exchange.js';
export { parseCapture, readCapture, parseRecord, captureRecordValidator } from './model/capture.js';
export type { Participant, Arrow, ArrowMessage, Variable, Timeline, TimelineOptions } from './model/timeline.js';
export { buildTimeline, buildTimelines } from './model/timeline.js';
export { type FlowscribeConfig, defaultConfig, parseConfig } from './model/config.js';
export { type Filter, parseFilter, matchesFilter, selectExchanges, globToRegExp } from './model/views.js';
export { type Profile, type ProfileName, PROFILE_NAMES } from './model/profiles/profile.js';
export { profileFor, profileNamed } from './model/profiles/choose.js';
export { httpProfile } from './model/profiles/http.js';
export { openstackProfile, isOpenStackCapture } from './model/profiles/openstack/profile.js';
export { type Catalog, type CatalogEndpoint, parseCatalogs, matchEndpoint, catalogInBody } from './model/profiles/openstack/catalog.js';
export { identityEndpoints } from './model/profiles/openstack/identity.js';
export { type ParticipantResolver, resolveParticipants } from './model/participants.js';
export { type VariableTable, inferVariables } from './model/variables.js';
export { type SecretsMode, MASK, redactCapture, redactExchange, redactFrame, redactEnvironment, maskPasswords } from './model/redact.js';
export { type Masker, isSecretName, isTokenName, isSecretVariable } from './model/redact-policy.js';
export { tokenLabels } from './model/token-owners.js';
export { orderEvents, type ExchangeEvent } from './model/exchange-events.js';
export { splitUrl, type UrlParts } from './model/request-url.js';
export { startRecorder, DEFAULT_UPSTREAM_TIMEOUT_MS } from './capture/recorder.js';
export type { Recorder, RecorderOptions, ConnectionInfo, SourceResolver } from './capture/recorder-types.js';
export { ensureCa } from './capture/proxy/ca.js';
export { BodyRecorder } from './capture/capture-file/body-recorder.js';

// The verbs, as the CLI's commands call them.
export { record, type RecordRequest, type RecordResult, type RecorderSettings } from './capture/record-session.js';
export { serveProxy, type ProxyRequest, type ProxyResult } from './capture/proxy-session.js';
export { renderCaptureFile, type RenderFileOptions, type RenderedFiles } from './publish/output.js';
export { buildSite, type SiteOptions, type SiteResult } from './publish/site.js';

// Interchange: HAR both ways, causality, merging, OTLP traces.
export { type Har, type HarEntry } from './model/har.js';
export { parseHar, MAX_ENTRY_BYTES } from './model/har-import.js';
export { loadCapture, readHar, isHarFile } from './model/load-capture.js';
export { findParents, captureParents } from './model/causality.js';
export { mergeCaptures, captureLines, type MergeInput } from './model/merge.js';
export { toHar, renderHar } from './render/har.js';
export { toOtlp, renderOtlp, type ExportTraceServiceRequest } from './render/otlp.js';
