/**
 * What may be attached as evidence: the types the process's evidence comes in (reports and letters
 * as PDF or Office documents, scans as images, plain text and CSV), each recognised by its first
 * bytes as well as its declared type, so an executable renamed `report.pdf` is refused.
 * *Assumption of this deployment*: the SEC names no file types; these cover the FUSA report, the
 * letter of credit and the Evidence Form as SECAS and the DCC exchange them.
 */
export interface EvidenceType {
  contentType: string;
  what: string;
  /** The content starts so; undefined: text, recognised by having no NUL byte and no executable's start */
  magic?: readonly number[];
}

/** Bytes in a mebibyte: file sizes are limited and told in MiB. */
export const MIB = 1024 * 1024;

const ZIP = [0x50, 0x4b, 0x03, 0x04];

export const EVIDENCE_TYPES: readonly EvidenceType[] = [
  { contentType: 'application/pdf', what: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { contentType: 'image/png', what: 'PNG image', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { contentType: 'image/jpeg', what: 'JPEG image', magic: [0xff, 0xd8, 0xff] },
  { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', what: 'Word document (.docx)', magic: ZIP },
  { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', what: 'Excel workbook (.xlsx)', magic: ZIP },
  { contentType: 'text/plain', what: 'plain text' },
  { contentType: 'text/csv', what: 'CSV' },
];

/** Starts of executables and scripts, refused whatever type they claim. */
const EXECUTABLE_STARTS: readonly (readonly number[])[] = [
  [0x4d, 0x5a], // MZ: Windows
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal, Java class
  [0x23, 0x21], // #!: a script
];

const startsWith = (head: Uint8Array, magic: readonly number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);

/** The evidence type of a declared content type (parameters such as charset ignored), if allowed. */
export function evidenceTypeOf(contentType: string | undefined): EvidenceType | undefined {
  const bare = contentType?.split(';')[0]?.trim().toLowerCase();
  return EVIDENCE_TYPES.find((t) => t.contentType === bare);
}

/** Why the first bytes of a file do not fit its declared type, in words; undefined when they do. */
export function contentProblem(type: EvidenceType, head: Uint8Array): string | undefined {
  if (EXECUTABLE_STARTS.some((m) => startsWith(head, m))) return 'it is a program or a script, which cannot be attached';
  if (type.magic) return startsWith(head, type.magic) ? undefined : `its content is not a ${type.what}, as its type (${type.contentType}) says`;
  return head.includes(0) ? `its content is not ${type.what}: it holds binary data` : undefined;
}

/** The allowed types in words, for a refusal. */
export const ALLOWED_TYPES_IN_WORDS = EVIDENCE_TYPES.map((t) => t.what).join(', ');
