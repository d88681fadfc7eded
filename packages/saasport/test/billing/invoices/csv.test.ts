import { describe, expect, it } from "vitest";
import { attachment, csvCell, toCsv } from "../../../src/billing/csv.js";

describe("toCsv", () => {
  const columns = [
    { header: "name", value: (row: { name: string; amount: string | null }) => row.name },
    { header: "amount", value: (row: { name: string; amount: string | null }) => row.amount },
  ];

  it("writes a header row and CRLF-terminated records, empty cells for null", () => {
    expect(
      toCsv(columns, [
        { name: "team", amount: "149.97" },
        { name: "credit", amount: "-70.00" },
        { name: "none", amount: null },
      ]),
    ).toBe("name,amount\r\nteam,149.97\r\ncredit,-70.00\r\nnone,\r\n");
  });

  it("quotes cells holding commas, quotes or line breaks, doubling the quotes (RFC 4180)", () => {
    expect(csvCell('Plan "Pro", 3 seats')).toBe('"Plan ""Pro"", 3 seats"');
    expect(csvCell("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvCell("lf\nonly")).toBe('"lf\nonly"');
    expect(csvCell(12)).toBe("12");
    expect(csvCell(undefined)).toBe("");
    expect(toCsv([{ header: "a,b", value: () => "x" }], [{}])).toBe('"a,b"\r\nx\r\n');
  });

  it("defuses text a spreadsheet would run as a formula, but keeps negative amounts numbers", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+cmd")).toBe("'+cmd");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("-70.00")).toBe("-70.00");
    expect(csvCell(-5)).toBe("-5");
  });

  it("writes only the header for no rows", () => {
    expect(toCsv(columns, [])).toBe("name,amount\r\n");
  });

  it("names attachments with safe characters only", () => {
    expect(attachment("invoice-2025-01-abc.csv")).toBe('attachment; filename="invoice-2025-01-abc.csv"');
    expect(attachment('a "b"/c.csv')).toBe('attachment; filename="a__b__c.csv"');
  });
});
