"""Finding the lines of TOML keys, tables and array elements (tomllib gives none)."""

from __future__ import annotations

import tomllib

from lms.content.toml_source import TomlSource

TEXT = '''\
title = "x"  # a comment with = and [[questions]] in it
tags = ["a",
  "b"]

[[questions]]
id = "first"
text = """A text whose lines look like keys:
id = "fake"
[[questions]]
"""
choices = [
  { text = "a ] } ,", weight = 100 },  # brackets inside strings
  { text = 'b', weight = 0 },

  { text = "c", weight = 0 },
]

[[questions]]
"id" = "second"
meta.source = "gift"
[[questions.choices]]
text = "sub-table choice"
[[questions.choices]]
text = "another"

[go_live]
quizzes = [ "a", "b" ]
'''


def test_lines_of_keys_tables_and_elements() -> None:
    tomllib.loads(TEXT)  # the scanner only ever sees valid TOML
    s = TomlSource(TEXT)
    assert s.line("title") == 1
    assert (s.line("tags"), s.line("tags", 0), s.line("tags", 1)) == (2, 2, 3)
    assert s.line("questions") == 5 and s.line("questions", 0) == 5
    assert s.line("questions", 0, "id") == 6
    assert s.line("questions", 0, "text") == 7
    assert [s.line("questions", 0, "choices", i) for i in range(3)] == [12, 13, 15]
    assert s.line("questions", 0, "choices", 1, "weight") == 13
    assert s.line("questions", 1) == 18 and s.line("questions", 1, "id") == 19
    assert s.line("questions", 1, "meta", "source") == 20
    assert [s.line("questions", 1, "choices", i) for i in range(2)] == [21, 23]
    assert s.line("questions", 1, "choices", 1, "text") == 24
    assert s.line("go_live") == 26 and s.line("go_live", "quizzes", 1) == 27


def test_unknown_paths_fall_back_to_the_nearest_known_place() -> None:
    s = TomlSource(TEXT)
    assert s.line("questions", 0, "nothing-here") == 5  # the question's header
    assert s.line("questions", 9) == 5
    assert s.line("absent") == 1
    assert not s.has("questions", 0, "nothing-here") and s.has("questions", 0, "id")


def test_crlf_free_multiline_literal_strings_and_escaped_quotes() -> None:
    text = 'a = \'\'\'x\n\'\'\' \nb = "say \\"hi\\""\nc = """one ""quoted"" line\n"""\nd = 1\n'
    tomllib.loads(text)
    s = TomlSource(text)
    assert (s.line("a"), s.line("b"), s.line("c"), s.line("d")) == (1, 3, 4, 6)
