export {
  ApiError,
  apiTime,
  callApi,
  hasContent,
  listContent,
  listSubscriptions,
  planSlices,
  pullContent,
  resolveWindow,
  MAX_WINDOW_MS,
  startSubscription,
  stopSubscription,
  type ApiSession,
  type ContentItem,
  type PullOptions,
  type PullProgress,
  type PullResult,
  type PullStats,
  type StartResult,
  type SubscriptionStatus,
} from './activity.js';
export { createTokenProvider, readCertificateCredential, TokenError, type AccessToken, type Credential, type TokenProvider } from './auth.js';
export { authorityMetadataFor } from './authority.js';
export { systemClock, virtualClock, type Clock } from './clock.js';
export { ACTIVITY_FEED_READ, canonicalContentType, CONTENT_TYPES, ZERO_GUID, type ContentType } from './content-types.js';
export { runDoctor, type DoctorCheck, type DoctorDeps, type DoctorResult } from './doctor.js';
export { AF_CODES, afMessage, explainApiError, HTTP_STATUSES, isRetryable, type CatalogueEntry } from './error-catalogue.js';
export {
  createHttpClient,
  redactHeaders,
  redactText,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type HttpStats,
  type RetryPolicy,
} from './http.js';
export { decodeJwtPayload } from './jwt.js';
export { FAULT_KINDS, parseFaultSpec, type FaultKind, type FaultRates, type FaultReport, type InjectedFault } from './emulator/faults.js';
export {
  contentIdFor,
  legacyPowerAppsRecord,
  noiseRecord,
  powerPlatformAppRecord,
  type AppRef,
  type SeededBlob,
  type SeededData,
} from './emulator/records.js';
export {
  parseApiTime,
  emulatorEnvLines,
  startEmulator,
  type EmulatorOptions,
  type EmulatorReport,
  type RunningEmulator,
  type SubscriptionState,
  type DeliveryResult,
  type NotificationEntry,
} from './emulator/server.js';
export {
  callGraph,
  explainGraphError,
  graphSlices,
  GraphApiError,
  pullGraph,
  type GraphPullOptions,
  type GraphPullProgress,
  type GraphPullResult,
  type GraphPullStats,
  type GraphSession,
  type NotLoaded,
} from './graph.js';
export {
  AUDIT_LOGS_QUERY_READ_ALL,
  fromGraphRecord,
  GRAPH_VERSIONS,
  QUERY_STATUSES,
  toGraphRecord,
  type AuditLogQuery,
  type GraphVersion,
  type QueryStatus,
} from './graph-schema.js';
export { createRecordSink, type RecordSink } from './record-sink.js';
export { type GraphEmulatorOptions } from './emulator/graph.js';
export { openGraphSession, openSession, requireApiSettings, resolveApiSettings, type ApiFlags, type ApiSettings, type SessionOptions } from './settings.js';
export { formatRecords, parseUserTime, recordFormatOf, recordSerializer, recordsHeader, type RecordFormat } from './output.js';
