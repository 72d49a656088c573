/** Escaping for the few XML documents of our solution, written as text (no generic XML writer needed). */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;').replace(/\t/g, '&#x9;');
}

/** UTF-8 BOM + XML declaration, as pac unpack writes Solution.xml, Customizations.xml and .data.xml files. */
export const XML_PROLOG = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n';
