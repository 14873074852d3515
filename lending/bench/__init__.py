"""The dashboard benchmark (`flask lending bench-dashboard`): a Passerelles-sized scheme
filled with bulk inserts into a database of its own, then each dashboard and desk page timed
through the app.

- target.py: which database (a temporary SQLite file by default), refused unless empty; the
  schema by the migrations, the reference data by their loaders.
- rows.py: chunked Core inserts with explicit ids, dates of the simulated period.
- people.py: the scheme, its staff, firms and their HR accounts, employees and skills.
- history.py: needs, matching rounds, proposals, agreements, loans, statements, feedback.
- writer.py: the simulated history written table by table.
- timing.py: the pages timed (one list, PAGES) and the lines printed.
"""
