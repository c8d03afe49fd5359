import { Books1763900000000 } from './1763900000000-Books';
import { CloseAndAccess1763900000100 } from './1763900000100-CloseAndAccess';
import { BookRules1763900000200 } from './1763900000200-BookRules';
import { DocumentVoucherIndexes1763900000300 } from './1763900000300-DocumentVoucherIndexes';
import { PeriodAccountTotals1763900000400 } from './1763900000400-PeriodAccountTotals';
import { InvoiceReconciledBy1763900000500 } from './1763900000500-InvoiceReconciledBy';
import { SubledgerTotals1763900000600 } from './1763900000600-SubledgerTotals';
import { InvoiceDigestCache1763900000700 } from './1763900000700-InvoiceDigestCache';
import { WritersMeetTheFreeze1763900000800 } from './1763900000800-WritersMeetTheFreeze';
import { LeastPrivilegeRoles1763900000900 } from './1763900000900-LeastPrivilegeRoles';
import { ActsOnBlockers1763900002000 } from './1763900002000-ActsOnBlockers';
import { AlignOpenings1763900002100 } from './1763900002100-AlignOpenings';
import { LinesCheckTheirVoucherById1763900002200 } from './1763900002200-LinesCheckTheirVoucherById';
import { CloseCalendar1763900003000 } from './1763900003000-CloseCalendar';
import { Notifications1763900003100 } from './1763900003100-Notifications';
import { OrganisationScope1763900005000 } from './1763900005000-OrganisationScope';
import { PeopleSignIn1763900005100 } from './1763900005100-PeopleSignIn';
import { AdministratorFollowsMonthEnds1763900005600 } from './1763900005600-AdministratorFollowsMonthEnds';
import { PeriodOpeningTotals1763900006200 } from './1763900006200-PeriodOpeningTotals';
import { PeriodDifferences1763900007000 } from './1763900007000-PeriodDifferences';
import { MonthEndRunsNewestFirst1763900008000 } from './1763900008000-MonthEndRunsNewestFirst';
import { SignInAttemptsByName1763900008100 } from './1763900008100-SignInAttemptsByName';
import { VoucherBalanceByVoucher1763900008200 } from './1763900008200-VoucherBalanceByVoucher';

/** In order. A landed migration is never edited: add a new one. */
export const migrations = [
  Books1763900000000,
  CloseAndAccess1763900000100,
  BookRules1763900000200,
  DocumentVoucherIndexes1763900000300,
  PeriodAccountTotals1763900000400,
  InvoiceReconciledBy1763900000500,
  SubledgerTotals1763900000600,
  InvoiceDigestCache1763900000700,
  WritersMeetTheFreeze1763900000800,
  LeastPrivilegeRoles1763900000900,
  ActsOnBlockers1763900002000,
  AlignOpenings1763900002100,
  LinesCheckTheirVoucherById1763900002200,
  CloseCalendar1763900003000,
  Notifications1763900003100,
  OrganisationScope1763900005000,
  PeopleSignIn1763900005100,
  AdministratorFollowsMonthEnds1763900005600,
  PeriodOpeningTotals1763900006200,
  PeriodDifferences1763900007000,
  MonthEndRunsNewestFirst1763900008000,
  SignInAttemptsByName1763900008100,
  VoucherBalanceByVoucher1763900008200,
];
