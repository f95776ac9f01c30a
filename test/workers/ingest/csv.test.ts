import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { CsvTokenizer, detectDelimiter } from '../../../workers/ingest/csv.js';
import { RecordingSink } from '../../support/record-sink.js';
import { split } from '../../support/harness.js';

const encoder = new TextEncoder();

function tokenize(text: string, options: { delimiter?: string; chunks?: number[]; maxRecord?: number } = {}): RecordingSink {
  const sink = new RecordingSink();
  const tokenizer = new CsvTokenizer(options.delimiter ?? ',', sink, options.maxRecord);
  for (const chunk of split(encoder.encode(text), options.chunks)) tokenizer.push(chunk);
  tokenizer.end();
  return sink;
}

describe('CSV tokenizer (RFC 4180)', () => {
  it('splits plain fields and records', () => {
    expect(tokenize('a,b,c\n1,2,3\n').rows).to.deep.equal([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads the last record without a final line break', () => {
    expect(tokenize('a,b\n1,2').rows).to.deep.equal([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('accepts LF, CRLF and lone CR line breaks, mixed', () => {
    const sink = tokenize('a,b\r\n1,2\r3,4\n5,6\r\n');
    expect(sink.rows).to.deep.equal([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
    expect(sink.records.map((r) => r.line)).to.deep.equal([1, 2, 3, 4]);
  });

  it('treats a CR at a chunk end and the LF starting the next chunk as one break', () => {
    const sink = tokenize('a,b\r\n1,2\r\n3,4\r\n', { chunks: [4] });
    expect(sink.rows).to.deep.equal([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(sink.blanks).to.deep.equal([]);
    expect(sink.records.map((r) => r.line)).to.deep.equal([1, 2, 3]);
  });

  it('reads quoted fields with delimiters, escaped quotes and line breaks', () => {
    const sink = tokenize('name,note\n"Smith, J.","He said ""hi""\nand left"\nx,"a\r\nb"\n');
    expect(sink.rows).to.deep.equal([
      ['name', 'note'],
      ['Smith, J.', 'He said "hi"\nand left'],
      ['x', 'a\r\nb'],
    ]);
    // line numbers count the breaks inside quoted fields
    expect(sink.records.map((r) => r.line)).to.deep.equal([1, 2, 4]);
  });

  it('keeps empty fields, including empty quoted ones and a trailing delimiter', () => {
    expect(tokenize('a,,""\n,b,\n').rows).to.deep.equal([
      ['a', '', ''],
      ['', 'b', ''],
    ]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(tokenize('h,w\n5\'11",x"y\n').rows).to.deep.equal([
      ['h', 'w'],
      ['5\'11"', 'x"y'],
    ]);
  });

  it('reports blank lines and skips them', () => {
    const sink = tokenize('a,b\n\n1,2\r\n\r\n3,4\n\n');
    expect(sink.rows).to.deep.equal([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(sink.blanks).to.deep.equal([2, 4, 6]);
    expect(sink.records.map((r) => r.line)).to.deep.equal([1, 3, 5]);
  });

  it('reports text after a closing quote as a malformed record and goes on', () => {
    const sink = tokenize('a,b\n"x"y,1\n2,3\n');
    expect(sink.malformedRows).to.deep.equal([{ line: 2, reason: 'after-quote', raw: '"x"y,1' }]);
    expect(sink.rows).to.deep.equal([
      ['a', 'b'],
      ['2', '3'],
    ]);
  });

  it('reports an unterminated quote at the end and resumes on the next line', () => {
    const sink = tokenize('a,b\n1,"oops\n2,3\n4,5\n');
    expect(sink.malformedRows.map((m) => [m.line, m.reason])).to.deep.equal([[2, 'unterminated-quote']]);
    expect(sink.rows).to.deep.equal([
      ['a', 'b'],
      ['2', '3'],
      ['4', '5'],
    ]);
    expect(sink.records.map((r) => r.line)).to.deep.equal([1, 3, 4]);
  });

  it('gives up on a quote that stays open for more than the record limit, without holding the file', () => {
    const body = 'a,b\n1,"never closed\n' + '2,3\n'.repeat(200);
    const sink = tokenize(body, { chunks: [64], maxRecord: 256 });
    expect(sink.malformedRows.map((m) => m.line)).to.deep.equal([2]);
    expect(sink.rows.length).to.equal(201);
    expect(sink.rows[1]).to.deep.equal(['2', '3']);
  });

  it('uses the delimiter it is given', () => {
    expect(tokenize('a;b\n"1;2";3\n', { delimiter: ';' }).rows).to.deep.equal([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
    expect(tokenize('a\tb\n1\t2\n', { delimiter: '\t' }).rows).to.deep.equal([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('gives the same records for any chunking (property)', () => {
    const field = fc.oneof(
      fc.stringMatching(/^[a-z0-9 .]{0,6}$/),
      fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', 'é', '€', ' '), maxLength: 8 }).map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const record = fc.array(field, { minLength: 2, maxLength: 4 });
    const newline = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(fc.array(fc.tuple(record, newline), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }), (rows, sizes) => {
        // a first field that is never empty, so no record is a blank line
        const text = rows.map(([r, nl]) => ['k', ...r].join(',') + nl).join('');
        const whole = tokenize(text);
        const chunked = tokenize(text, { chunks: sizes });
        expect(chunked.records).to.deep.equal(whole.records);
        expect(chunked.malformedRows).to.deep.equal(whole.malformedRows);
        expect(whole.records.length).to.equal(rows.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('delimiter detection', () => {
  const head = (text: string): Uint8Array => encoder.encode(text);

  it('detects comma, semicolon, tab and pipe', () => {
    expect(detectDelimiter(head('a,b,c\n1,2,3\n'))).to.equal(',');
    expect(detectDelimiter(head('a;b;c\n1,5;2;3\n'))).to.equal(';');
    expect(detectDelimiter(head('a\tb\tc\n1\t2\t3\n'))).to.equal('\t');
    expect(detectDelimiter(head('a|b\n1|2\n'))).to.equal('|');
  });

  it('ignores delimiters inside quotes', () => {
    expect(detectDelimiter(head('name;amount\n"Smith, J.";1,5\n"Doe, A.";2,5\n'))).to.equal(';');
  });

  it('prefers the delimiter that splits every line the same way', () => {
    // commas appear in the amounts, but only semicolons split every line into the header's count
    expect(detectDelimiter(head('id;amount;date\n1;1,50;2024\n2;3;2024\n3;2,75;2024\n'))).to.equal(';');
  });

  it('falls back to comma for a single column', () => {
    expect(detectDelimiter(head('customer_id\nc1\nc2\n'))).to.equal(',');
  });
});
