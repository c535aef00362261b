"""``make bench``'s rows of issue 15 (bench/web_pages.py): one per page and database, its p50
against 30 ms as "yes"/"NO", beside the API repository GET measured in the same run."""

from __future__ import annotations

from bench import table, web_pages


def test_each_page_is_a_row_with_its_verdict_and_the_same_runs_api_figure():
    found = {"database": "PostgreSQL", "api": (1.5, 4.0),
             "pages": {"/": (31.2, 80.0), "/-/admin/fleet": (30.0, 45.0)}}
    rows = web_pages.table_rows(found)
    assert [(row.target, row.database, row.met) for row in rows] == [
        ("web page / p50 ≤ 30 ms", "PostgreSQL", False),
        ("web page /-/admin/fleet p50 ≤ 30 ms", "PostgreSQL", True)]
    assert rows[0].measured == "p50 31.2 ms, p99 80.0 ms"
    assert {row.baseline for row in rows} == {"API repository GET: p50 1.5 ms, p99 4.0 ms"}


def test_make_bench_measures_the_pages_on_each_database_it_is_given(monkeypatch, capsys):
    monkeypatch.setenv("PLUE_BENCH_DATABASES", "sqlite,postgresql")
    monkeypatch.setenv("PLUE_BENCH_ROUNDS", "1")
    runs = []

    def measure(database, count):
        runs.append((database, count))
        return {"database": table.label(database), "api": (1.0, 2.0),
                "pages": {"/": (12.0, 20.0)}}

    monkeypatch.setattr(web_pages, "measure", measure)
    rows = web_pages.rows()
    assert runs == [("sqlite", 100), ("postgresql", 100)]
    assert [(row.database, row.met) for row in rows] == [("SQLite", True), ("PostgreSQL", True)]
    table.print_table(rows)
    printed = capsys.readouterr().out
    assert "web page / p50 ≤ 30 ms  SQLite" in printed and "yes" in printed
