/**
 * `[Content_Types].xml` as pac writes it (solution-format §2.5): BOM, one line, no final newline. The two root
 * manifests are text/xml, every other part application/octet-stream; the first part seen with an extension
 * makes that extension's Default (spelled as seen); a part whose type differs from its Default, or that has no
 * extension, gets an Override. Defaults first, then Overrides, both in entry order.
 */
export const CONTENT_TYPES_ENTRY = '[Content_Types].xml';

const TEXT_XML = 'text/xml';
const OCTET = 'application/octet-stream';

export function contentTypesXml(entryNames: readonly string[]): string {
  const defaults = new Map<string, { ext: string; type: string }>();
  const overrides: string[] = [];
  for (const name of entryNames) {
    if (name === CONTENT_TYPES_ENTRY) continue;
    const type = name === 'solution.xml' || name === 'customizations.xml' ? TEXT_XML : OCTET;
    const base = name.slice(name.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    const ext = dot >= 0 && dot < base.length - 1 ? base.slice(dot + 1) : undefined;
    if (ext === undefined) {
      overrides.push(name);
      continue;
    }
    const known = defaults.get(ext.toLowerCase());
    if (!known) defaults.set(ext.toLowerCase(), { ext, type });
    else if (known.type !== type) overrides.push(name);
  }
  let s = '\uFEFF<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">';
  for (const { ext, type } of defaults.values()) s += `<Default Extension="${escape(ext)}" ContentType="${type}" />`;
  for (const name of overrides) s += `<Override PartName="/${escape(name)}" ContentType="${OCTET}" />`;
  return s + '</Types>';
}

function escape(v: string): string {
  return v.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
