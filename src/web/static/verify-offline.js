// /verify/offline: checks a statement bundle (GET /api/v1/declarations/{id}/statement) against the
// log's verifier keys inside the browser, with the four checks of `sengen verify-statement`
// (src/tlog/statement.cpp) in the same order. Nothing is sent: the page's CSP allows no
// connection (connect-src 'none') and the form has no action and no named field (ADR 53).
// Loaded as a file because the CSP allows no inline script. The words come from the page.
'use strict';

(function () {
  var form = document.getElementById('offline-form');
  if (!form) return;
  var statementField = document.getElementById('offline-statement');
  var fileField = document.getElementById('offline-file');
  var keyField = document.getElementById('offline-key');
  var result = document.getElementById('offline-result');
  var resultTitle = document.getElementById('offline-result-title');
  var resultBody = document.getElementById('offline-result-body');
  var resultFacts = document.getElementById('offline-result-facts');
  var resultNote = document.getElementById('offline-result-note');
  var unsupported = document.getElementById('offline-unsupported');

  var MAX_BUNDLE = 1 << 20;  // as parse_bundle_json
  var MAX_NOTE = 1 << 16;    // as parse_note
  var DASH = '\u2014 ';      // a signature line starts with an em dash and a space

  var words = new Map();
  document.querySelectorAll('#offline-words [data-word]').forEach(function (el) {
    words.set(el.dataset.word, el.textContent);
  });
  // The word for `key`, its {name}s replaced by the values given (as text: it is put into the page
  // with textContent only).
  function word(key, values) {
    var given = new Map(Object.entries(values || {}));
    return (words.has(key) ? words.get(key) : key).replace(/\{([a-z_]+)\}/g, function (all, name) {
      return given.has(name) ? String(given.get(name)) : all;
    });
  }

  // A failed step, named by its reason's word.
  function Refusal(reason, values) {
    this.reason = reason;
    this.values = values || {};
  }
  function refuse(reason, values) { throw new Refusal(reason, values); }

  // --- bytes -------------------------------------------------------------------------------------

  var utf8 = new TextEncoder();

  function concat(parts) {
    var n = 0;
    parts.forEach(function (p) { n += p.length; });
    var out = new Uint8Array(n);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  function equal(a, b) {
    if (a.length !== b.length) return false;
    var diff = 0;
    for (var i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  // Standard base64 with padding, nothing else (libsodium's ORIGINAL variant, as the C++ side):
  // atob alone would also take white space and missing padding.
  var BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  function unbase64(text) {
    if (typeof text !== 'string' || !BASE64.test(text)) return null;
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function be32(bytes, at) {
    return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  }

  function sha256(bytes) {
    return crypto.subtle.digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); });
  }

  // --- C2SP signed-note verifier keys ------------------------------------------------------------

  // A key name is not empty and holds no '+', no white space and no control character.
  function validKeyName(name) {
    return name.length > 0 && !/[+\s\u0000-\u001f\u007f-\u009f]/.test(name);
  }

  // "<name>+<hex key ID>+<base64(0x01 || 32-byte Ed25519 public key)>"; the key ID is the first
  // four bytes of SHA-256(name || 0x0A || 0x01 || public key).
  function parseVerifierKey(line) {
    var first = line.indexOf('+');
    var second = first < 0 ? -1 : line.indexOf('+', first + 1);
    if (second < 0) refuse('reason.bad_key');
    var name = line.slice(0, first);
    var id = line.slice(first + 1, second);
    var raw = unbase64(line.slice(second + 1));
    if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || !raw || raw.length !== 33 || raw[0] !== 0x01)
      refuse('reason.bad_key');
    var keyId = parseInt(id, 16) >>> 0;
    return sha256(concat([utf8.encode(name), new Uint8Array([0x0a]), raw])).then(function (digest) {
      if (be32(digest, 0) !== keyId) refuse('reason.key_id');
      return crypto.subtle.importKey('raw', raw.slice(1), { name: 'Ed25519' }, false, ['verify']).then(
        function (key) { return { name: name, keyId: keyId, key: key }; },
        function () { refuse('reason.unsupported'); });
    });
  }

  function parseKeys(text) {
    var lines = text.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(function (l) { return l; });
    if (!lines.length) refuse('reason.no_key');
    return Promise.all(lines.map(parseVerifierKey));
  }

  // --- C2SP signed notes (src/tlog/note.cpp parse_note and open_note) ----------------------------

  // The note's text (up to and with the newline before the last blank line) and its signatures,
  // or null when it is not a signed note.
  function parseNote(note) {
    if (typeof note !== 'string' || utf8.encode(note).length > MAX_NOTE) return null;
    // UTF-8 with no control character but the newline: no lone surrogate, which UTF-8 cannot hold.
    if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(note)) return null;
    if (/[\ud800-\udfff]/.test(note.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return null;
    if (note.charAt(note.length - 1) !== '\n') return null;
    var blank = note.lastIndexOf('\n\n');
    if (blank < 0) return null;
    var text = note.slice(0, blank + 1);
    var rest = note.slice(blank + 2);
    if (!rest) return null;
    var signatures = [];
    var lines = rest.slice(0, -1).split('\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (line.indexOf(DASH) !== 0) return null;
      line = line.slice(DASH.length);
      var space = line.indexOf(' ');
      if (space < 0) return null;
      var name = line.slice(0, space);
      var raw = unbase64(line.slice(space + 1));
      if (!validKeyName(name) || !raw || raw.length < 5) return null;
      signatures.push({ name: name, keyId: be32(raw, 0), signature: raw.slice(4) });
    }
    return { text: text, signatures: signatures };
  }

  // Every signature by a known key must verify, and at least one must be there; signatures by
  // other keys are ignored. Resolves to 'ok', 'unknown_key' or 'bad_signature'.
  function openNote(note, keys) {
    var message = utf8.encode(note.text);
    var checks = [];
    note.signatures.forEach(function (s) {
      keys.forEach(function (k) {
        if (k.name !== s.name || k.keyId !== s.keyId) return;
        checks.push(s.signature.length !== 64 ? Promise.resolve(false)
          : crypto.subtle.verify({ name: 'Ed25519' }, k.key, s.signature, message));
      });
    });
    if (!checks.length) return Promise.resolve('unknown_key');
    return Promise.all(checks).then(function (all) {
      return all.every(Boolean) ? 'ok' : 'bad_signature';
    });
  }

  // --- the checkpoint and the entry (src/tlog/checkpoint.cpp, src/tlog/entry.cpp) ---------------

  function parseCheckpoint(text) {
    var lines = text.slice(0, -1).split('\n');
    if (lines.length < 3 || !lines[0] || !/^(0|[1-9][0-9]{0,15})$/.test(lines[1])) return null;
    var size = Number(lines[1]);
    var root = unbase64(lines[2]);
    if (!Number.isSafeInteger(size) || !root || root.length !== 32) return null;
    for (var i = 3; i < lines.length; i++) if (!lines[i]) return null;
    return { origin: lines[0], size: size, root: root };
  }

  var EVENTS = ['issued', 'details_changed', 'level_changed', 'stopped', 'revoked', 'reinstated', 'imported'];
  var STATUSES = ['awaiting_confirmation', 'awaiting_review', 'declared', 'stopped', 'revoked', 'rejected', 'disputed'];
  var DAMM = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
  ];

  // An 11-digit declaration ID whose Damm check holds (src/domain/identifiers.cpp).
  function validId(id) {
    if (!/^[1-9][0-9]{10}$/.test(id)) return false;
    var interim = 0;
    for (var i = 0; i < id.length; i++) interim = DAMM[interim][id.charCodeAt(i) - 48];
    return interim === 0;
  }

  // "YYYY-MM-DDTHH:MM:SSZ", one spelling per second.
  function parseTime(s) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s)) return null;
    var t = new Date(s);
    return isNaN(t.getTime()) || t.toISOString().replace('.000Z', 'Z') !== s ? null : t;
  }

  function parseEntry(text) {
    var lines = text.slice(0, -1).split('\n');
    if (lines.length !== 8 || lines[1] !== 'sengen-event v1' || !lines[0]) return null;
    var keys = ['id', 'event', 'level', 'status', 'time', 'record'];
    var v = {};
    for (var i = 0; i < keys.length; i++) {
      var prefix = keys[i] + ' ';
      if (lines[i + 2].indexOf(prefix) !== 0) return null;
      v[keys[i]] = lines[i + 2].slice(prefix.length);
    }
    var record = unbase64(v.record);
    var time = parseTime(v.time);
    if (!validId(v.id) || EVENTS.indexOf(v.event) < 0 || !/^[1-9][0-9]{0,8}$/.test(v.level) ||
        STATUSES.indexOf(v.status) < 0 || !time || !record || record.length !== 32)
      return null;
    return { origin: lines[0], id: v.id, event: v.event, level: v.level, status: v.status, time: time };
  }

  // --- RFC 9162 Merkle tree (src/tlog/merkle.cpp) ------------------------------------------------

  function leafHash(entryBytes) { return sha256(concat([new Uint8Array([0x00]), entryBytes])); }
  function nodeHash(left, right) { return sha256(concat([new Uint8Array([0x01]), left, right])); }

  // RFC 9162, 2.1.3.2: verifying an inclusion proof. Sizes stay below 2^53, so the shifts are
  // divisions.
  function verifyInclusion(index, size, leaf, proof, root) {
    if (index < 0 || index >= size) return Promise.resolve(false);
    var fn = index;
    var sn = size - 1;
    var r = Promise.resolve(leaf);
    var ok = true;
    proof.forEach(function (p) {
      if (!ok) return;
      // 1. If sn is 0, stop the iteration and fail the proof verification.
      if (sn === 0) { ok = false; return; }
      // 2. If LSB(fn) is set, or if fn is equal to sn: r = HASH(0x01 || p || r), then, until
      //    LSB(fn) is set or fn is 0, shift fn and sn right by one. Otherwise r = HASH(0x01 || r || p).
      if (fn % 2 === 1 || fn === sn) {
        r = r.then(function (h) { return nodeHash(p, h); });
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      } else {
        r = r.then(function (h) { return nodeHash(h, p); });
      }
      // 3. Shift fn and sn right by one.
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    });
    // Compare sn with 0 and r with the root.
    return r.then(function (h) { return ok && sn === 0 && equal(h, root); });
  }

  // --- the bundle (src/tlog/statement.cpp) -------------------------------------------------------

  function parseBundle(text) {
    if (!text.trim()) refuse('reason.empty');
    if (utf8.encode(text).length > MAX_BUNDLE) refuse('reason.bad_bundle');
    var j;
    try {
      j = JSON.parse(text);
    } catch (e) {
      refuse('reason.not_json');
    }
    if (!j || typeof j !== 'object' || Array.isArray(j)) refuse('reason.not_json');
    if (typeof j.statement !== 'string' || typeof j.checkpoint !== 'string' ||
        !Number.isSafeInteger(j.leaf_index) || j.leaf_index < 0 ||
        !Array.isArray(j.inclusion_proof) || j.inclusion_proof.length > 64)
      refuse('reason.bad_bundle');
    var proof = j.inclusion_proof.map(function (h) {
      var raw = unbase64(h);
      if (!raw || raw.length !== 32) refuse('reason.bad_bundle');
      return raw;
    });
    return { statement: j.statement, checkpoint: j.checkpoint, leafIndex: j.leaf_index, proof: proof };
  }

  function verify(bundleText, keysText) {
    var bundle;
    var keys;
    var checkpoint;
    var entry;
    var entryText;
    return Promise.resolve()
      .then(function () {
        bundle = parseBundle(bundleText);
        return parseKeys(keysText);
      })
      .then(function (parsed) {
        keys = parsed;
        // 1. The checkpoint is signed by one of the keys.
        var note = parseNote(bundle.checkpoint);
        if (!note) refuse('reason.checkpoint_note');
        return openNote(note, keys).then(function (outcome) {
          if (outcome === 'unknown_key') refuse('reason.checkpoint_unknown_key');
          if (outcome !== 'ok') refuse('reason.checkpoint_signature');
          checkpoint = parseCheckpoint(note.text);
          if (!checkpoint) refuse('reason.checkpoint_form');
        });
      })
      .then(function () {
        // 2. The statement is signed by one of the keys, and its entry names the checkpoint's log.
        var note = parseNote(bundle.statement);
        if (!note) refuse('reason.statement_note');
        return openNote(note, keys).then(function (outcome) {
          if (outcome === 'unknown_key') refuse('reason.statement_unknown_key');
          if (outcome !== 'ok') refuse('reason.statement_signature');
          entryText = note.text;
          entry = parseEntry(entryText);
          if (!entry) refuse('reason.entry_form');
          if (entry.origin !== checkpoint.origin)
            refuse('reason.other_log', { entry: entry.origin, checkpoint: checkpoint.origin });
        });
      })
      .then(function () {
        // 3. The index lies inside the checkpoint's tree (checked first, as the C++ side does), and
        // 4. the entry's leaf hash leads through the proof to the checkpoint's root.
        if (bundle.leafIndex >= checkpoint.size)
          refuse('reason.beyond', { index: bundle.leafIndex, size: checkpoint.size });
        return leafHash(utf8.encode(entryText));
      })
      .then(function (leaf) {
        return verifyInclusion(bundle.leafIndex, checkpoint.size, leaf, bundle.proof, checkpoint.root);
      })
      .then(function (included) {
        if (!included) refuse('reason.proof');
        return { entry: entry, checkpoint: checkpoint, leafIndex: bundle.leafIndex };
      });
  }

  // --- the page ----------------------------------------------------------------------------------

  var lang = document.documentElement.lang === 'en' ? 'en-GB' : 'ja-JP';

  function formatTime(t) {
    try {
      return new Intl.DateTimeFormat(lang, { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }).format(t) +
        word('time.zone');
    } catch (e) {
      return t.toISOString();
    }
  }

  function fact(label, value) {
    var row = document.createElement('div');
    row.className = 'summary-row';
    var dt = document.createElement('dt');
    dt.textContent = word(label);
    var dd = document.createElement('dd');
    dd.textContent = value;
    row.appendChild(dt);
    row.appendChild(dd);
    resultFacts.appendChild(row);
  }

  function show(ok, title, body) {
    result.className = 'offline-result verify-banner ' + (ok ? 'verify-banner-declared' : 'verify-banner-alert');
    result.dataset.outcome = ok ? 'verified' : 'refused';
    resultTitle.textContent = title;
    resultBody.textContent = body;
    resultFacts.textContent = '';
    resultNote.hidden = !ok;
    result.hidden = false;
  }

  function showVerified(v) {
    var e = v.entry;
    var id = e.id.slice(0, 3) + ' ' + e.id.slice(3, 7) + ' ' + e.id.slice(7);
    show(true, word('ok.title'),
         word('ok.body', { id: id, log: e.origin, index: v.leafIndex + 1, size: v.checkpoint.size }));
    fact('fact.id', id);
    fact('fact.event', word('event.' + e.event));
    fact('fact.level', word('level.' + e.level));
    fact('fact.status', word('status.' + e.status));
    fact('fact.time', formatTime(e.time));
    fact('fact.log', e.origin);
    fact('fact.index', String(v.leafIndex + 1) + ' / ' + String(v.checkpoint.size));
    resultTitle.focus();
  }

  function showRefused(error) {
    var reason = error instanceof Refusal ? word(error.reason, error.values) : String(error);
    result.dataset.reason = error instanceof Refusal ? error.reason : 'error';
    show(false, word('fail.title'), word('fail.title') + ': ' + reason);
    resultTitle.focus();
  }

  var busy = false;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    // The last result goes while this check runs, so that it is never taken for this one's.
    result.hidden = true;
    delete result.dataset.reason;
    delete result.dataset.outcome;
    var checked = window.crypto && window.crypto.subtle ? verify(statementField.value, keyField.value)
      : Promise.reject(new Refusal('reason.unsupported'));
    checked.then(showVerified, showRefused).then(function () { busy = false; });
  });

  fileField.addEventListener('change', function () {
    var file = fileField.files && fileField.files[0];
    if (!file) return;
    if (file.size > MAX_BUNDLE) {
      showRefused(new Refusal('reason.file'));
      return;
    }
    file.text().then(function (text) {
      statementField.value = text;
      result.hidden = true;
    }, function () { showRefused(new Refusal('reason.file')); });
  });

  form.hidden = false;

  // Where WebCrypto has no Ed25519, say so before anyone pastes anything. The key imported is
  // RFC 8032's first test key.
  var probe = new Uint8Array([
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
  ]);
  if (!window.crypto || !window.crypto.subtle) {
    unsupported.hidden = false;
  } else {
    window.crypto.subtle.importKey('raw', probe, { name: 'Ed25519' }, false, ['verify']).then(
      function () {}, function () { unsupported.hidden = false; });
  }
})();
