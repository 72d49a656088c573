import { UsageError } from '../../errors.js';

/** Fault kinds of `--faults` (docs/emulator.md). */
export const FAULT_KINDS = [
  'throttle',
  'server-error',
  'drop',
  'slow',
  'duplicate-blob',
  'expired',
  'unauthorized',
  'unavailable',
  'timeout',
  'repeat-page',
  'af50005',
  'af50006',
  'graph-throttle',
  'query-failed',
  'query-slow',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRates = Partial<Record<FaultKind, number>>;

/** Parses `kind=rate,kind=rate` (rates in [0, 1]); an empty string means no faults. */
export function parseFaultSpec(spec: string): FaultRates {
  const out: FaultRates = {};
  const problems: string[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z0-9-]+)=([0-9]*\.?[0-9]+)$/.exec(part);
    const kind = m?.[1] as FaultKind | undefined;
    if (!m || !kind || !FAULT_KINDS.includes(kind)) {
      problems.push(`--faults: '${part}' is not kind=rate with a kind among ${FAULT_KINDS.join(', ')}`);
      continue;
    }
    const rate = Number(m[2]);
    if (!(rate >= 0 && rate <= 1)) {
      problems.push(`--faults: rate of ${kind} must be between 0 and 1, got ${m[2]}`);
      continue;
    }
    out[kind] = rate;
  }
  if (problems.length > 0) throw new UsageError(problems.map((message) => ({ message })));
  return out;
}

/** One injected fault, as reported on RunningEmulator.faults and GET /_emulator/report. */
export interface InjectedFault {
  kind: FaultKind;
  /** Activity API method name (GetBlob, GetContents, ListSubscriptions, StartSubscription, …), or Graph / CreateAuditLogQuery. */
  method: string;
  /** Path and query of the request (PublisherIdentifier left out). */
  target: string;
  /** 0-based attempt of this exact request the fault hit. */
  attempt: number;
  /** For expired: the record Ids of the blob that can no longer be fetched. */
  recordIds?: string[];
  /** For duplicate-blob: the contentId listed again. */
  contentId?: string;
}

export interface FaultReport {
  rates: FaultRates;
  injected: InjectedFault[];
  counts: Record<FaultKind, number>;
  /** contentIds answered with AF20051 (the expired fault is permanent for a blob). */
  expiredBlobs: string[];
  /** Distinct record Ids only in expired blobs are lost to every client: a test subtracts them. */
  expiredRecordIds: string[];
}

export function emptyFaultReport(rates: FaultRates): FaultReport {
  return {
    rates,
    injected: [],
    counts: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    expiredBlobs: [],
    expiredRecordIds: [],
  };
}
