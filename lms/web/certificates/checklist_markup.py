"""The go-live checklist's items as markup built in Python (the Today page and a learner's page;
`lms/web/page_text.py`).

Rendered by Jinja, each of the 15–20 items cost about 6 µs (two calls through the template context,
seven attribute look-ups, three escapes): 110 µs of the Today page's 1.5 ms. Built here it costs 44 µs
for the same HTML (`tests/web/certificates/test_checklist_markup.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from lms.domain.certification.golive import Requirement
from lms.web.page_text import PageText, joined

#: Requirements whose title is an interface text (translated), not a curriculum title.
_INTERFACE_TITLES = frozenset({"signoff", "faq"})


def checklist_items(requirements: Iterable[Requirement], *, link_scenarios: bool = False) -> Markup:
    """One `<li>` per requirement, met or unmet, with its detail; `link_scenarios`: a practice
    chat's title links to the learner's own history of it (the Today page)."""
    page = PageText()
    items = []
    for r in requirements:
        name: str
        if r.kind in _INTERFACE_TITLES:
            name = page.text(r.title)
        elif link_scenarios and r.kind == "scenario":
            name = f'<a href="{page.href("practice.history_page", slug=r.key)}">{page.title(r)}</a>'
        else:
            name = page.title(r)
        state = "met" if r.met else "unmet"
        items.append(
            f'<li class="{state}">{name} <span class="muted">{page.text(r.detail, r.params)}</span></li>'
        )
    return joined(items)
