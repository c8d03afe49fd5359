import ExcelJS from 'exceljs';
import type { SheetCell, SheetRow, Yuan } from './close-report-sheet';

const isYuan = (cell: SheetCell): cell is Yuan => typeof cell === 'object' && cell !== null;

/**
 * A spreadsheet opening a CSV runs a cell that starts with = + - or @ as a formula; ledger text
 * (a reason, a name) must never do that, so such text gets a leading apostrophe. Amounts are
 * written by the report, never taken from text, and keep their minus sign.
 */
function csvText(cell: SheetCell): string {
  if (cell === null) return '';
  if (isYuan(cell)) return cell.yuan;
  const text = String(cell);
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a UTF-8 byte-order mark: without it Excel reads the Chinese as mojibake. */
export function closeReportCsv(rows: SheetRow[]): Buffer {
  const body = rows.map((row) => row.map((cell) => csvField(csvText(cell))).join(',')).join('\r\n');
  return Buffer.from(`\uFEFF${body}\r\n`, 'utf8');
}

// Above this many fen a double no longer holds every fen exactly, so the amount stays text.
const EXACT_FEN_LIMIT = BigInt(Number.MAX_SAFE_INTEGER);

function xlsxValue(cell: SheetCell): string | number | null {
  if (!isYuan(cell)) return cell;
  const fen = BigInt(cell.yuan.replace('.', ''));
  const exact = fen <= EXACT_FEN_LIMIT && fen >= -EXACT_FEN_LIMIT;
  return exact ? Number(cell.yuan) : cell.yuan;
}

/** One worksheet, amounts as numbers shown #,##0.00 so Excel can sum them; text stays text, never a formula. */
export async function closeReportXlsx(rows: SheetRow[], sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'close orchestrator';
  const sheet = workbook.addWorksheet(sheetName);
  rows.forEach((row, r) => {
    row.forEach((cell, c) => {
      const target = sheet.getCell(r + 1, c + 1);
      target.value = xlsxValue(cell);
      if (isYuan(cell)) target.numFmt = '#,##0.00';
    });
  });
  sheet.getRow(1).font = { bold: true, size: 14 };
  sheet.columns.forEach((column) => (column.width = 22));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
