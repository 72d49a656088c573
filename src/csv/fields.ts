/**
 * Parsing one record's text into fields, for the commands that look inside records (inspect, convert).
 * split never calls this for data records.
 */

export type FieldsResult = { fields: string[] } | { error: string };

/**
 * RFC 4180 fields of one record. `text` excludes the line end. A quoted field may hold commas, doubled quotes and
 * line breaks; a quote inside an unquoted field, text after a closing quote, or a quote never closed is an error
 * naming the field (1-based).
 */
export function parseFields(text: string): FieldsResult {
  const fields: string[] = [];
  const len = text.length;
  let pos = 0;
  for (;;) {
    const n = fields.length + 1;
    if (text.charCodeAt(pos) === 0x22) {
      let value = '';
      let from = pos + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return { error: `field ${n}: quoted field is never closed` };
        if (text.charCodeAt(q + 1) === 0x22) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        pos = q + 1;
        break;
      }
      fields.push(value);
      if (pos === len) return { fields };
      if (text.charCodeAt(pos) !== 0x2c) return { error: `field ${n}: text after the closing quote` };
      pos++;
    } else {
      const c = text.indexOf(',', pos);
      const value = text.slice(pos, c < 0 ? len : c);
      if (value.includes('"')) return { error: `field ${n}: quote inside an unquoted field` };
      fields.push(value);
      if (c < 0) return { fields };
      pos = c + 1;
    }
    if (pos === len) {
      fields.push('');
      return { fields };
    }
  }
}
