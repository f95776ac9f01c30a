/**
 * The kit's error type. Every failure a user can cause is a `CrmError` whose message says what went
 * wrong and where, and whose `hint` says what to do about it.
 */

/** Machine-readable error codes. */
export type CrmErrorCode =
  /** An option has a value the kit does not accept (unknown time zone, bad date format, ...). */
  | 'bad-option'
  /** A required column could not be found in a file's header. */
  | 'missing-column'
  /** A `columns` mapping names a column the file does not have. */
  | 'unknown-column'
  /** Slashed dates that could be day-first or month-first, with no `dateFormat` to decide. */
  | 'ambiguous-dates'
  /** One column holds both day-first and month-first dates. */
  | 'mixed-date-order'
  /** A file mixes currencies without a conversion table, or differs from the dataset currency. */
  | 'mixed-currencies'
  /** The bytes are not in the declared or detected encoding. */
  | 'encoding'
  /** The JSON is not well formed or not in one of the accepted shapes. */
  | 'invalid-json'
  /** The kit could not tell which table a file holds. */
  | 'unknown-table'
  /** An HTTP response with a non-2xx status. */
  | 'http-status'
  /** A network failure (DNS, refused connection, CORS). */
  | 'network'
  /** An endpoint answered with something that is not data (an HTML login page, for example). */
  | 'not-data'
  /** A call or a download took longer than its time limit. */
  | 'timeout'
  /** The caller cancelled the operation. */
  | 'aborted'
  /** The worker crashed, was terminated, or stopped answering. */
  | 'worker-lost'
  /** The engine was used after it was disposed, or a dataset id is unknown. */
  | 'disposed'
  /** The browser could not allocate memory for the data. */
  | 'out-of-memory'
  /** A bug in the kit: an invariant did not hold. */
  | 'internal';

/** Extra, structured facts about an error. */
export interface CrmErrorDetails {
  /** What to do about it. */
  hint?: string;
  /** The table the error is about. */
  table?: string;
  /** The column (as named in the user's file) or canonical field the error is about. */
  column?: string;
  /** The source (file name or URL without query string) the error is about. */
  source?: string;
  /** 1-based line in the source, when known. */
  line?: number;
  /** Example values that show the problem. */
  examples?: string[];
  /** HTTP status, for `http-status`. */
  status?: number;
}

/** An error with a code, a message that says what and where, and a hint that says what to do. */
export class CrmError extends Error {
  /** Machine-readable code. */
  readonly code: CrmErrorCode;
  /** What to do about it. */
  readonly hint: string | undefined;
  /** The table the error is about. */
  readonly table: string | undefined;
  /** The column or field the error is about. */
  readonly column: string | undefined;
  /** The source the error is about. */
  readonly source: string | undefined;
  /** 1-based line in the source. */
  readonly line: number | undefined;
  /** Example values that show the problem. */
  readonly examples: string[] | undefined;
  /** HTTP status, for `http-status`. */
  readonly status: number | undefined;

  constructor(code: CrmErrorCode, message: string, details: CrmErrorDetails = {}) {
    super(message);
    this.name = 'CrmError';
    this.code = code;
    this.hint = details.hint;
    this.table = details.table;
    this.column = details.column;
    this.source = details.source;
    this.line = details.line;
    this.examples = details.examples;
    this.status = details.status;
  }

  /** A copy of this error with more context (the source, for instance) filled in where missing. */
  withContext(details: CrmErrorDetails): CrmError {
    return new CrmError(this.code, this.message, {
      hint: this.hint ?? details.hint,
      table: this.table ?? details.table,
      column: this.column ?? details.column,
      source: this.source ?? details.source,
      line: this.line ?? details.line,
      examples: this.examples ?? details.examples,
      status: this.status ?? details.status,
    });
  }
}

/** The plain-object form of a `CrmError`, as it crosses the worker boundary. */
export interface SerializedCrmError extends CrmErrorDetails {
  name: 'CrmError';
  code: CrmErrorCode;
  message: string;
  stack?: string;
}

/** Plain-object form of an error for `postMessage`. */
export function serializeError(error: unknown): SerializedCrmError | { name: string; message: string; stack?: string } {
  if (error instanceof CrmError) {
    const out: SerializedCrmError = { name: 'CrmError', code: error.code, message: error.message };
    if (error.stack !== undefined) out.stack = error.stack;
    if (error.hint !== undefined) out.hint = error.hint;
    if (error.table !== undefined) out.table = error.table;
    if (error.column !== undefined) out.column = error.column;
    if (error.source !== undefined) out.source = error.source;
    if (error.line !== undefined) out.line = error.line;
    if (error.examples !== undefined) out.examples = error.examples;
    if (error.status !== undefined) out.status = error.status;
    return out;
  }
  if (error instanceof RangeError && /allocat|memory/i.test(error.message)) {
    return serializeError(
      new CrmError('out-of-memory', `The browser could not allocate memory for the data (${error.message}).`, {
        hint: 'Load a shorter date range or fewer rows, or aggregate in your warehouse with the SQL pack.',
      }),
    );
  }
  if (error instanceof Error) {
    const out: { name: string; message: string; stack?: string } = { name: error.name, message: error.message };
    if (error.stack !== undefined) out.stack = error.stack;
    return out;
  }
  return { name: 'Error', message: String(error) };
}

/** Turns whatever was thrown (possibly an error rebuilt from a worker message) into a `CrmError`. */
export function toCrmError(error: unknown): CrmError {
  if (error instanceof CrmError) return error;
  if (typeof error === 'object' && error !== null) {
    const value = error as Omit<Partial<SerializedCrmError>, 'name'> & { name?: string; message?: string };
    if (value.name === 'CrmError' && typeof value.code === 'string') {
      const rebuilt = new CrmError(value.code, value.message ?? 'Unknown error', value);
      if (typeof value.stack === 'string') rebuilt.stack = value.stack;
      return rebuilt;
    }
    if (value.name === 'AbortError') {
      return new CrmError('aborted', 'The operation was cancelled.');
    }
    if (value.name === 'TimeoutError') {
      return new CrmError('timeout', value.message ?? 'The operation timed out.');
    }
    if (typeof value.message === 'string') {
      return new CrmError('internal', value.message, {
        hint: 'This is a bug in the CRM widget kit; please report it with the steps that led to it.',
      });
    }
  }
  return new CrmError('internal', String(error));
}

/** Whether the same call can succeed when run again: not with a bad option, which fails alike until it is changed. */
export function retryable(error: CrmError): boolean {
  return error.code !== 'bad-option';
}
