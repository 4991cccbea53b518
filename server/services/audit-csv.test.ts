// CSV cells: quoting, doubled quotes, line breaks, and spreadsheet formulas neutralised.
import { describe, expect, it } from 'vitest';
import type { UserId } from '../../shared/ids.ts';
import { auditCsv, csvCell } from './audit-csv.ts';

describe('audit CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes a header and one CRLF line per entry, system entries named so', () => {
    const csv = auditCsv(
      [
        { id: 2, at: Date.UTC(2026, 11, 1, 9, 30), actorId: 'u1' as UserId, projectId: null, action: 'class.create', subject: 'c1', details: { name: 'car, red' } },
        { id: 1, at: 0, actorId: null, projectId: null, action: 'blob.gc', subject: '', details: null },
      ],
      (id) => (id === 'u1' ? 'ann' : undefined),
    );
    expect(csv).toBe(
      'id,at,actor_id,actor,action,subject,details\r\n' +
        '2,2026-12-01T09:30:00.000Z,u1,ann,class.create,c1,"{""name"":""car, red""}"\r\n' +
        '1,1970-01-01T00:00:00.000Z,,system,blob.gc,,\r\n',
    );
  });
});
