"""The HTML site: many stored Reports (one per release pair) → pages.

`pairs.py` reads which release pairs to build, `build.py` diffs the new ones and stores their
Reports, `catalog.py` sums every release up for the pages that span releases, `pages.py`
renders them with `templates/site/`, `indexing.py` has Pagefind index them for search
(`search.py`) while the rest is written, and `staging.py` writes the site beside the live one
(into the previous site, kept for that) and swaps it in.
"""
