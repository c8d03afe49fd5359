import { Account } from './account';
import { ApiToken } from './api-token';
import { AppUser } from './app-user';
import { AuditEntry } from './audit-entry';
import { Balance } from './balance';
import { CloseOperation } from './close-operation';
import { CloseRun } from './close-run';
import { FundTransfer } from './fund-transfer';
import { Invoice } from './invoice';
import { InvoiceSyncReport } from './invoice-sync-report';
import { Ledger } from './ledger';
import { MonthEndRun } from './month-end-run';
import { Period } from './period';
import { PeriodSnapshot } from './period-snapshot';
import { Reimbursement } from './reimbursement';
import { RolePermission } from './role-permission';
import { SubledgerEntry } from './subledger-entry';
import { Voucher } from './voucher';
import { VoucherLine } from './voucher-line';

export {
  Account, ApiToken, AppUser, AuditEntry, Balance, CloseOperation, CloseRun, FundTransfer, Invoice, InvoiceSyncReport,
  Ledger, MonthEndRun, Period, PeriodSnapshot, Reimbursement, RolePermission, SubledgerEntry, Voucher, VoucherLine,
};

export const entities = [
  Account, ApiToken, AppUser, AuditEntry, Balance, CloseOperation, CloseRun, FundTransfer, Invoice, InvoiceSyncReport,
  Ledger, MonthEndRun, Period, PeriodSnapshot, Reimbursement, RolePermission, SubledgerEntry, Voucher, VoucherLine,
];
