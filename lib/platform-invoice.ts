/**
 * An invoice as the tax e-invoice platform holds and reports it: the fields the close reconciles
 * (抬头 buyer name, 纳税人识别号 taxpayer ids, amount, tax, date), amounts in whole fen. The platform's
 * client (activities/invoices), the generator's record of what the platform holds (db/seed) and the
 * stand-in (simulators/tax-platform, which validates it with its own schema) speak this shape.
 */
export interface PlatformInvoice {
  number: string;
  sellerTaxId: string;
  buyerName: string;
  buyerTaxId: string;
  amount: number;
  tax: number;
  /** YYYY-MM-DD */
  date: string;
}
