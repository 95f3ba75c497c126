// The msgid -> msgstr pairs of src/web/i18n/<lang>.po, to find the catalogue's texts on pages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function catalogue(lang) {
  const text = readFileSync(path.join(SOURCE_DIR, 'src/web/i18n', `${lang}.po`), 'utf8');
  const out = {};
  let id = null;
  let field = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // The catalogues use only the escapes that JSON shares with C.
    if (line.startsWith('msgid ')) {
      id = JSON.parse(line.slice(6));
      field = 'id';
    } else if (line.startsWith('msgstr ')) {
      field = 'str';
      if (id) out[id] = JSON.parse(line.slice(7));
    } else if (line.startsWith('"') && field === 'str' && id) {
      out[id] += JSON.parse(line);
    } else if (line.startsWith('"') && field === 'id') {
      id += JSON.parse(line);
    }
  }
  return out;
}
