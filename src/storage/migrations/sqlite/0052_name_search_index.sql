-- The public search by name (ADR 0065): an index of every three-character run of each
-- declaration's name_key and kana_key (SQLite's FTS5 with its trigram tokenizer), so that a name of
-- three characters or more is found without reading every declaration. It holds the two keys'
-- runs only (the text stays in declarations: an external-content table) and is kept in step by
-- the triggers below, whichever statement writes the row. case_sensitive 1: the keys are folded
-- already (search_key), so a match is exactly "contains", as LIKE '%…%' is on them.
CREATE VIRTUAL TABLE declaration_names USING fts5(
    name_key, kana_key, content = 'declarations', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);
CREATE TRIGGER declaration_names_insert AFTER INSERT ON declarations
BEGIN
    INSERT INTO declaration_names (rowid, name_key, kana_key) VALUES (new.id, new.name_key, new.kana_key);
END;
CREATE TRIGGER declaration_names_delete AFTER DELETE ON declarations
BEGIN
    INSERT INTO declaration_names (declaration_names, rowid, name_key, kana_key)
        VALUES ('delete', old.id, old.name_key, old.kana_key);
END;
CREATE TRIGGER declaration_names_update AFTER UPDATE OF name_key, kana_key ON declarations
    WHEN old.name_key IS NOT new.name_key OR old.kana_key IS NOT new.kana_key
BEGIN
    INSERT INTO declaration_names (declaration_names, rowid, name_key, kana_key)
        VALUES ('delete', old.id, old.name_key, old.kana_key);
    INSERT INTO declaration_names (rowid, name_key, kana_key) VALUES (new.id, new.name_key, new.kana_key);
END;
INSERT INTO declaration_names (declaration_names) VALUES ('rebuild');
