-- The public search by name (ADR 0065): an index of every three-character run of each
-- declaration's name_key and kana_key, so that a name of three characters or more is found
-- without reading every declaration. pg_trgm is not used: it splits text into words by the
-- database's locale, and under the C locale it finds no word in Japanese at all. The runs are
-- made by a plain SQL function instead (characters, not bytes, whatever the locale), over the two
-- keys joined by a space (which no key holds, so a run across the join matches no query), and a
-- GIN index over them is kept by PostgreSQL itself with every write. The search asks for the rows
-- holding every run of the typed key, then checks those few with LIKE.
CREATE FUNCTION sengen_runs(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT array(SELECT substr(t, i, 3) FROM generate_series(1, char_length(t) - 2) AS i) $$;
CREATE INDEX declaration_name_runs ON declarations USING gin (sengen_runs(name_key || ' ' || kana_key));
