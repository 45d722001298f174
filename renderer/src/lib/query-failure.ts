/** A failed query as the workbench shows it: what went wrong and, when known, where in the query. */
import type { QueryDiagnostic } from '../../../preload/contract';
import { ContractError } from './api';

export interface QueryFailure {
  code: string;
  message: string;
  diagnostics: QueryDiagnostic[];
}

export function describeFailure(err: unknown): QueryFailure {
  if (err instanceof ContractError)
    return { code: err.code, message: err.message, diagnostics: diagnosticsOf(err.detail) };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err), diagnostics: [] };
}

/** The engine reports positions as `detail.diagnostics` (a list) or as one diagnostic with a `span`. */
function diagnosticsOf(detail: unknown): QueryDiagnostic[] {
  const isDiagnostic = (d: unknown): d is QueryDiagnostic =>
    typeof d === 'object' &&
    d !== null &&
    typeof (d as QueryDiagnostic).message === 'string' &&
    typeof (d as QueryDiagnostic).span?.line === 'number';
  if (typeof detail !== 'object' || detail === null) return [];
  const list = (detail as { diagnostics?: unknown }).diagnostics;
  if (Array.isArray(list)) return list.filter(isDiagnostic);
  return isDiagnostic(detail) ? [detail] : [];
}
