/**
 * The shape of an invoice sync run ahead of the close, shared by the workflow, its activity and
 * the API. Types and constants only: safe inside the workflow sandbox.
 */
import type { Blocker } from '../../close';
import type { CloseSettings } from '../../close';

export interface InvoiceSyncInput {
  ledger: string;
  period: string;
  requestedBy: string;
  /** Retry timing, as a close's steps have it. */
  settings: CloseSettings;
}

export interface InvoiceSyncSummary {
  ledger: string;
  period: string;
  requestedBy: string;
  /** Invoices the platform lacked and was sent. */
  uploaded: number;
  /** Invoices equal on both sides. */
  matched: number;
  /** Invoices the platform holds for the ledger's taxpayer id and period. */
  platform: number;
  /** 'digest': the platform's count and digest equalled the ledger's; 'listing': compared invoice by invoice. */
  reconciledBy: 'digest' | 'listing';
  /** The differences, as the close would report them (step invoice_sync), with who must act. */
  differences: Blocker[];
  syncedAt: string;
}

export function invoiceSyncWorkflowId(ledger: string, period: string): string {
  return `invoice-sync:${ledger}:${period}`;
}

/** A sync asked for while one runs joins it; a run gives up after this many attempts of its step. */
export const INVOICE_SYNC_MAX_ATTEMPTS = 20;
