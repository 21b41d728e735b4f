/** The pure domain of the UEP engine: what the workflow and the API import. */
export * from './vocabulary';
export * from './types';
export type { EntryState, StageRecord, MandateState } from './state';
export { entryIdFor, notificationIds } from './ids';
export { closedOutsideEngineView, isClosedOutsideEngine } from './closed-outside-engine';
export { closedOutsideEngine, runReset, type OutsideClosureFacts, type RunResetFacts } from './notifications';
export { startEntry, checkCommand, applyCommand, advanceTime, upgradeRules } from './entry-machine';
export { RULES_VERSION, CURRENT_RULES_VERSION, rulesOf, type RulesVersion } from './rules';
export { checkRetry, type RetryCheck } from './retries';
export { summarise, auditTrail, searchAttributesOf } from './summary';
export { validateStartInput } from './validation';
export { entryClosedWords } from './guards';
export {
  getCatalogue,
  catalogueVersions,
  isKnownCatalogueVersion,
  CURRENT_CATALOGUE_VERSION,
  type Catalogue,
  type StageDef,
  type OutcomeDef,
  type StageRef,
} from './catalogue';
export { startWarnings, pastDefaultDeadline, COHORT_WORDS, defaultMandateDeadline, resolveMandateDeadline, DEFAULT_MANDATE_DEADLINES, DEFAULT_REMINDER_OFFSETS_DAYS } from './mandates';
export {
  addWorkingDays,
  workingDaysBetween,
  isWorkingDay,
  nextWorkingDay,
  workingDayOnOrAfter,
  bankHolidays,
  calendarVersions,
  isKnownCalendarVersion,
  outsideCalendar,
  CURRENT_CALENDAR_VERSION,
} from './calendar';
export { forecastEntry, forecastRole, isAtRisk, entryView, standingOf, remainingWorkingDaysOf, type EntryView, type Standing, type StandingFacts } from './entry-view';
export { REMINDER_HOUR_UTC, BREACH_HOUR_UTC, BREACH_REMINDER_INTERVAL_DAYS } from './reminders';
export { isOpenStage, stagesOf, openStagesOf, entryChangeOf, inboxOf, inboxLinesOf, inboxTimingOf, inboxOrder, complianceOf, complianceLineOf, type InboxSource, type InboxLine, type ComplianceLine, complianceTotals, byMandateDeadline, COMPLIANCE, type Compliance, type ComplianceFacts, type InboxEntry } from './read-model';
export { dayInWords, meetingFor, meetingPhrase, calendarProblem, MEETING_BODY, type Meeting, type MeetingBody, type MeetingCalendar } from './meetings';
