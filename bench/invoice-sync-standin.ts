import { reconcileInvoices, type LedgerInvoice } from '../books/invoices/reconcile';
import { createHttpTaxPlatformClient, MAX_UPLOAD_BATCH, type PlatformInvoice } from '../integrations/tax-platform';
import { startTaxPlatformStandIn } from '../simulators/tax-platform/server';
import { log } from './stack';

const SELLER_TAX_ID = '91110000600037341L';
const PERIOD = '2026-10';
const BATCHES_IN_FLIGHT = 4;

export interface StageFigures {
  invoices: number;
  ms: number;
  invoicesPerSecond: number;
}

export interface InvoiceStandInBenchResult {
  count: number;
  upload: StageFigures;
  listing: StageFigures;
  reconcile: StageFigures;
}

function generateInvoices(count: number): LedgerInvoice[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `ledger-invoice-${i}`,
    number: String(26_000_000_000 + i).padStart(20, '0'),
    sellerTaxId: SELLER_TAX_ID,
    buyerName: `Grassroots union ${i % 997}`,
    buyerTaxId: `91310000${String(i % 9_999_999_999).padStart(10, '0')}`,
    amount: 10_000 + ((i * 7_919) % 9_000_000),
    tax: 600 + ((i * 131) % 540_000),
    date: `${PERIOD}-${String(1 + (i % 31)).padStart(2, '0')}`,
  }));
}

function figures(invoices: number, startedAt: number): StageFigures {
  const ms = Math.max(1, Math.round(performance.now() - startedAt));
  return { invoices, ms, invoicesPerSecond: Math.round((invoices / ms) * 1000) };
}

/**
 * Uploads `count` generated invoices to the tax platform stand-in through the HTTP client, lists
 * them back and reconciles; prints and returns invoices per second for each stage.
 */
export async function benchInvoiceStandIn(count = 100_000): Promise<InvoiceStandInBenchResult> {
  const apiKey = 'bench-tax-key';
  const standIn = await startTaxPlatformStandIn({ port: 0, apiKey });
  try {
    const client = createHttpTaxPlatformClient({ baseUrl: standIn.url, logger: log, apiKey, timeoutMs: 30_000, pageSize: 5000 });
    const ledger = generateInvoices(count);

    let nextBatch = 0;
    const batchCount = Math.ceil(count / MAX_UPLOAD_BATCH);
    const uploadBatches = async (): Promise<void> => {
      for (let batch = nextBatch++; batch < batchCount; batch = nextBatch++) {
        const invoices = ledger.slice(batch * MAX_UPLOAD_BATCH, (batch + 1) * MAX_UPLOAD_BATCH);
        const result = await client.uploadBatch(`bench-${batch}`, invoices);
        if (result.accepted !== invoices.length) throw new Error(`Batch ${batch}: ${result.accepted} of ${invoices.length} accepted.`);
      }
    };
    const uploadStartedAt = performance.now();
    await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, uploadBatches));
    const upload = figures(count, uploadStartedAt);

    const listingStartedAt = performance.now();
    const platform: PlatformInvoice[] = [];
    for await (const page of client.listInvoices(SELLER_TAX_ID, PERIOD)) platform.push(...page);
    const listing = figures(platform.length, listingStartedAt);

    const reconcileStartedAt = performance.now();
    const report = reconcileInvoices(ledger, platform);
    const reconcile = figures(count, reconcileStartedAt);
    if (report.matched !== count || report.mismatches.length + report.missingInLedger.length + report.missingOnPlatform.length > 0) {
      throw new Error(`Reconciliation found differences: ${report.matched} of ${count} matched.`);
    }

    const result = { count, upload, listing, reconcile };
    console.table({ upload, listing, reconcile });
    return result;
  } finally {
    await standIn.close();
  }
}

if (require.main === module) {
  const count = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  if (count !== undefined && (!Number.isInteger(count) || count <= 0)) {
    console.error('usage: node dist/bench/invoice-sync-standin.js [count]');
    process.exit(2);
  }
  benchInvoiceStandIn(count).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
