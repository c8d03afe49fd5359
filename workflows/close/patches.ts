/**
 * Changes to the close workflow's commands, behind `patched()`: a close started before a change
 * replays as it began and goes on that way; one started after takes the new path. Each change's
 * histories before it stay in test/histories/ and must keep replaying (test/close/replay.test.ts).
 */

/**
 * Authorise and the read-only checks run as local activities: in the worker that runs the workflow,
 * one after another within its workflow task, without a round trip through the server each (README,
 * Benchmarks). Each is idempotent (authorise registers its close run once; the checks write only
 * their step's progress), so a worker lost in the middle costs a re-run on the next. The steps that
 * write the books (backup, carry forward, lock) or talk to the bank and the tax platform stay
 * ordinary activities, whose heartbeats let another worker take over a lost one at once.
 */
export const LOCAL_STEPS_PATCH = 'close-authorise-and-checks-as-local-activities';

/**
 * A backup that finds blockers (something changed after the checks passed: a writer that committed
 * while the backup waited for it, an invoice edited after the sync) sends the close back to the first
 * check instead of waiting on the backup alone: only the checks can clear what they find (sync the
 * invoice again, confirm the transfer), and each reports its own blockers.
 */
export const BACKUP_RECHECKS_PATCH = 'close-backup-blockers-rerun-the-checks';

/**
 * Each step's activity is named as the step (`authorise`, `previousPeriod`, … `lock`): before, some
 * were named otherwise (`startClose`, `checkReconciliation`, `backupPeriod`, …). Both names stay
 * registered by the worker (activities/close/index.ts) while closes of the old names may run.
 */
export const STEP_NAMED_ACTIVITIES_PATCH = 'close-activities-named-as-their-steps';

/**
 * The close reports every blocker at once: when a check blocks, the remaining checks still run, and
 * the close waits on all their blockers (marked by step), so one round of fixing suffices. It still
 * writes nothing (backup, carry forward, lock) before every check passes. Before: one step's at a time.
 */
export const CHECKS_TOGETHER_PATCH = 'close-reports-every-blocker-at-once';

/**
 * A close whose blockers stay the same re-checks less often: each wait doubles, from recheckMs up to
 * recheckMaxMs, and returns to recheckMs when the blockers change or an act asks for a re-check. A
 * federation's thousands of closes blocked overnight on the same draft no longer re-run every check
 * every few minutes, nor grow their histories at that pace.
 */
export const RECHECK_BACKOFF_PATCH = 'close-blocked-rechecks-back-off';

/**
 * Every change above is decided once, by this patch, before the close's first await: a close started
 * after it takes all of them without asking `patched()` again. Asked later — after the authorise
 * step, a local activity — a patch's marker could be recorded one workflow task after the one whose
 * replay asks for it (the local activity outlived a workflow task's heartbeat, its marker landed in
 * the next task, the patch's in the one after): replayed, `patched()` answered false and the close
 * failed on nondeterminism for good, after a worker kill (chaos soak, bench/findings/). Closes
 * started before this patch still ask each patch where they did.
 */
export const PATCHES_DECIDED_AT_START_PATCH = 'close-patches-decided-at-start';

/**
 * Every step runs local-first: as a local activity, in the worker that runs the close, up to
 * LOCAL_FIRST_ATTEMPTS attempts within a short time-out; only a step that keeps failing on a technical
 * cause (the tax platform or the bank down, the database gone for longer, a freeze that waits on a
 * writer) goes on as an ordinary activity, retried by the server without end and heartbeating, as every
 * step that talks to the outside or writes the books did before. Every step was already idempotent
 * (each may run again after a lost worker). A clean close is one workflow task of local activities
 * and one that completes it, after its parent's notice or its lock, which then goes through the server,
 * has recorded the steps' results (step-activities.ts says why): a province's month-end paid seven
 * workflow tasks and five activity tasks per close before (README, Benchmarks). Decided at the start,
 * like every patch since PATCHES_DECIDED_AT_START_PATCH.
 */
export const STEPS_LOCAL_FIRST_PATCH = 'close-every-step-local-first';

/**
 * A close's steps run ahead in one local activity (activities/close/run-ahead.ts): from where the
 * close stands, as far as it would go without waiting — every check, then backup and carry forward
 * when none blocked, never lock — and the workflow takes each step's outcome from it as if it had run
 * that step alone. A step it could not finish (a technical failure, its time budget spent) runs on its
 * own, local-first then through the server, as before. A clean close records one marker for its ten
 * steps instead of ten, and its workflow is activated once for them instead of ten times. Decided at
 * the start, with the patches above.
 */
export const STEPS_RUN_AHEAD_PATCH = 'close-steps-run-ahead';

/**
 * Every change above in one patch: a close started after it records one marker (and one
 * search-attribute update) where it recorded three (PATCHES_DECIDED_AT_START_PATCH,
 * STEPS_LOCAL_FIRST_PATCH, STEPS_RUN_AHEAD_PATCH) — four of a month-end close's 18 history events.
 * Asked first; a close started before it asks the others as it did.
 */
export const PATCHES_IN_ONE_PATCH = 'close-patches-in-one';
