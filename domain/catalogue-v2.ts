/**
 * Stage catalogue version 2 (docs/domain.md, "The stage catalogue (version 2)"): the process as
 * the SEC and SECAS describe it. Every duration says where it comes from: a source, or an
 * assumption that is a setting of the deployment (its default the number here). Published: never
 * edited; a change of rule is a new version in a new file, registered in catalogue.ts. One rule
 * read only by entries under rules version 5 (domain/rules.ts), which running entries reach behind
 * patched(): the security status REJECTED `restartsFrom` SECURITY_FIELDWORK (a new assessment).
 */
import type { Catalogue, DurationBasis, OutcomeDef } from './catalogue';
import { MEETING_BODY } from './meetings';
import { ALL_USER_ROLES, BODY, OUTCOME_EFFECT, STAGE, STAGE_LEVEL, USER_ROLE, type UserRole } from './vocabulary';

const done = (outcome: string, extra: Partial<OutcomeDef> = {}): OutcomeDef => ({ outcome, effect: OUTCOME_EFFECT.DONE, ...extra });
const rework = (outcome: string, extra: Partial<OutcomeDef> = {}): OutcomeDef => ({ outcome, effect: OUTCOME_EFFECT.REWORK, ...extra });
const restart = (outcome: string, extra: Partial<OutcomeDef> = {}): OutcomeDef => ({ outcome, effect: OUTCOME_EFFECT.RESTART, ...extra });

const sourced = (source: string): DurationBasis => ({ kind: 'SOURCED', source });
const assumed = (setting: string, note: string): DurationBasis => ({ kind: 'ASSUMED', setting, note });

/** No source gives a decision time for any body on any UEP stage. */
const NO_SOURCE = 'no source gives it';
const PANEL_MONTHLY = 'the Panel meets once a month (SECAS, About the SEC); no source gives a decision time';

const ASSESSMENT_BOOKED_AHEAD = 'assessments are booked at least 12 weeks (60 working days) ahead (SECAS, assessment FAQ)';
const FUSA_FIELDWORK = 'FUSA fieldwork takes 3 to 10 working days (SECAS, What is a FUSA)';

const ALL: readonly UserRole[] = ALL_USER_ROLES;

export const CATALOGUE_V2: Catalogue = {
  version: 'v2',
  description:
    'docs/domain.md stage catalogue version 2: the security assessment as G8 has it (booking, the User CIO’s fieldwork and report, the Party’s Response, the Panel’s status) and privacy as I2 has it; SREPT not gated on the DCC Gateway; the Evidence Form returnable; every duration sourced or assumed',
  stages: [
    {
      id: STAGE.ACCESSION,
      title: 'Accession to the SEC',
      secRef: 'B1, H1.2',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.SECAS,
      dependsOn: [],
      partySubmitsFirst: false,
      outcomes: [done('ACCEDED')],
      slaWorkingDays: 2,
      slaBasis: sourced('SECAS reviews an accession application in about 2 working days (SECAS, Becoming a SEC Party)'),
      estimateWorkingDays: 20,
      estimateBasis: assumed('ACCESSION_ESTIMATE', 'the SECCo Board countersigns after its meeting, normally after the monthly Panel (SECAS, Becoming a SEC Party): up to a month'),
    },
    {
      id: STAGE.ID_ALLOCATION,
      title: 'EUI-64 ID range allocation',
      secRef: 'ID Allocation Procedure',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.SECAS,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: false,
      outcomes: [done('ALLOCATED')],
      slaWorkingDays: 5,
      slaBasis: assumed('ID_ALLOCATION_SLA', `the range comes with the countersigned Accession Agreement (SECAS, Becoming a SEC Party); ${NO_SOURCE}`),
      estimateWorkingDays: 5,
      estimateBasis: assumed('ID_ALLOCATION_ESTIMATE', NO_SOURCE),
    },
    {
      id: STAGE.SECURITY_FIELDWORK,
      title: 'User Security Assessment: booking, the User CIO’s fieldwork and report',
      secRef: 'G8 (FUSA; report G8.22)',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.SECAS,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: true,
      submission: 'the assessment booking (SECAS Assessment Management System; the assessment date at least 12 weeks ahead)',
      outcomes: [done('REPORT_ISSUED')],
      slaWorkingDays: 70,
      slaBasis: sourced(`${ASSESSMENT_BOOKED_AHEAD}; ${FUSA_FIELDWORK}; the User CIO's report follows (its time is not sourced and not counted)`),
      estimateWorkingDays: 70,
      estimateBasis: sourced(`${ASSESSMENT_BOOKED_AHEAD}; ${FUSA_FIELDWORK}; the User CIO's report follows (its time is not sourced and not counted)`),
    },
    {
      id: STAGE.SECURITY_ASSESSMENT,
      title: 'User Security Assessment: the Party’s Response and the Panel’s status',
      secRef: 'G8.24 response, G8.34 status',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.SEC_PANEL,
      dependsOn: [STAGE.SECURITY_FIELDWORK],
      partySubmitsFirst: true,
      submission: 'the User Security Assessment Response (G8.24), to the SSC and the User CIO by the date the SSC sets',
      // Rejected: a new assessment, not a new Response (G8.34; MP091 lets the SSC require a second FUSA)
      outcomes: [done('APPROVED'), done('APPROVED_SUBJECT_TO', { followUp: true }), rework('DEFERRED'), restart('REJECTED', { restartsFrom: STAGE.SECURITY_FIELDWORK })],
      decidedAt: MEETING_BODY.SEC_PANEL,
      slaWorkingDays: 20,
      slaBasis: assumed('SECURITY_STATUS_SLA', `set at a Panel meeting with the SSC's support; ${PANEL_MONTHLY}`),
      estimateWorkingDays: 20,
      estimateBasis: assumed('SECURITY_STATUS_ESTIMATE', `the Response by the SSC's date, then the status at a Panel meeting; ${PANEL_MONTHLY}`),
    },
    {
      id: STAGE.CREDIT_COVER,
      title: 'Credit Cover',
      secRef: 'J3',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: true,
      submission: 'confirmation that Credit Support is lodged',
      outcomes: [done('LODGED'), done('NOT_REQUIRED')],
      slaWorkingDays: 10,
      slaBasis: assumed('CREDIT_COVER_SLA', NO_SOURCE),
      estimateWorkingDays: 15,
      estimateBasis: assumed('CREDIT_COVER_ESTIMATE', NO_SOURCE),
    },
    {
      id: STAGE.DCC_GATEWAY,
      title: 'DCC Gateway Connection',
      secRef: 'Appendix G',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: false,
      outcomes: [done('LIVE'), done('VIA_SHARED_RESOURCE', { sharedResourceOnly: true })],
      slaWorkingDays: 20,
      slaBasis: assumed('DCC_GATEWAY_SLA', NO_SOURCE),
      estimateWorkingDays: 40,
      estimateBasis: assumed('DCC_GATEWAY_ESTIMATE', `no source gives a lead time`),
    },
    {
      // Not gated on the DCC Gateway: the SMKI Portal is reachable over the internet (SMKI Code of Connection).
      id: STAGE.SMKI_SREPT,
      title: 'SMKI and Repository Entry Process Tests',
      secRef: 'H14, SMKI RAPP',
      level: STAGE_LEVEL.PARTY,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: true,
      submission: 'test readiness',
      outcomes: [done('PASSED'), rework('FAILED')],
      slaWorkingDays: 10,
      slaBasis: assumed('SMKI_SREPT_SLA', NO_SOURCE),
      estimateWorkingDays: 20,
      estimateBasis: assumed('SMKI_SREPT_ESTIMATE', NO_SOURCE),
    },
    {
      id: STAGE.USER_ID,
      title: 'User ID acceptance',
      secRef: 'H1 (User IDs)',
      level: STAGE_LEVEL.ROLE,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.ID_ALLOCATION],
      partySubmitsFirst: true,
      submission: 'the proposed EUI-64 User ID',
      outcomes: [done('ACCEPTED'), rework('REJECTED')],
      slaWorkingDays: 5,
      slaBasis: assumed('USER_ID_SLA', NO_SOURCE),
      estimateWorkingDays: 5,
      estimateBasis: assumed('USER_ID_ESTIMATE', NO_SOURCE),
    },
    {
      id: STAGE.UEPT,
      title: 'User Entry Process Tests',
      secRef: 'H1, H14, CTSD',
      level: STAGE_LEVEL.ROLE,
      appliesTo: ALL,
      owner: BODY.DCC,
      dependsOn: [STAGE.USER_ID, STAGE.DCC_GATEWAY, STAGE.SMKI_SREPT],
      partySubmitsFirst: true,
      submission: 'test readiness',
      outcomes: [done('PASSED'), rework('FAILED')],
      slaWorkingDays: 10,
      slaBasis: assumed('UEPT_SLA', NO_SOURCE),
      estimateWorkingDays: 40,
      estimateWithSharedResource: 20,
      estimateBasis: assumed('UEPT_ESTIMATE', `${NO_SOURCE} (20 with a Shared Resource provider, also assumed)`),
    },
    {
      id: STAGE.PRIVACY_FIELDWORK,
      title: 'Full Privacy Assessment: booking, the Independent Privacy Auditor’s assessment and report',
      secRef: 'I2 (FPA)',
      level: STAGE_LEVEL.ROLE,
      appliesTo: [USER_ROLE.OTHER_USER],
      owner: BODY.SECAS,
      dependsOn: [STAGE.ACCESSION],
      partySubmitsFirst: true,
      submission: 'the assessment booking (SECAS Assessment Management System; the assessment date at least 12 weeks ahead)',
      outcomes: [done('REPORT_ISSUED')],
      slaWorkingDays: 60,
      slaBasis: sourced('the assessment date at least 12 weeks (60 working days) after the booking request (SECAS, privacy assessment FAQ); the assessment and report times are not sourced and not counted'),
      estimateWorkingDays: 60,
      estimateBasis: sourced('the assessment date at least 12 weeks (60 working days) after the booking request (SECAS, privacy assessment FAQ); the assessment and report times are not sourced and not counted'),
    },
    {
      id: STAGE.PRIVACY_ASSESSMENT,
      title: 'Privacy assurance status (the Panel’s status)',
      secRef: 'I2.30',
      level: STAGE_LEVEL.ROLE,
      appliesTo: [USER_ROLE.OTHER_USER],
      owner: BODY.SEC_PANEL,
      dependsOn: [STAGE.PRIVACY_FIELDWORK],
      partySubmitsFirst: false,
      outcomes: [done('APPROVED'), done('APPROVED_SUBJECT_TO', { followUp: true }), rework('PROVISIONALLY_APPROVED'), rework('DEFERRED')],
      decidedAt: MEETING_BODY.SEC_PANEL,
      slaWorkingDays: 20,
      slaBasis: assumed('PRIVACY_STATUS_SLA', `set at a Panel meeting; ${PANEL_MONTHLY}`),
      estimateWorkingDays: 20,
      estimateBasis: assumed('PRIVACY_STATUS_ESTIMATE', `set at a Panel meeting; ${PANEL_MONTHLY}`),
    },
    {
      id: STAGE.UEP_COMPLETION,
      title: 'UEP completion (Evidence Form, information paper to the Panel)',
      secRef: 'H1.12',
      level: STAGE_LEVEL.ROLE,
      appliesTo: ALL,
      owner: BODY.SECAS,
      dependsOn: [],
      dependsOnAllOthers: true,
      partySubmitsFirst: true,
      submission: 'the UEP Evidence Form',
      outcomes: [done('CONFIRMED'), rework('RETURNED', { needsReason: true })],
      decidedAt: MEETING_BODY.SEC_PANEL,
      slaWorkingDays: 20,
      slaBasis: assumed('UEP_COMPLETION_SLA', `SECAS's information paper goes to a Panel meeting; ${PANEL_MONTHLY}`),
      estimateWorkingDays: 20,
      estimateBasis: assumed('UEP_COMPLETION_ESTIMATE', `SECAS's information paper goes to a Panel meeting; ${PANEL_MONTHLY}`),
      completesRole: true,
    },
  ],
};
