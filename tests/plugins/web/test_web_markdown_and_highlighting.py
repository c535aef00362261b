"""Markdown as the pages render it (CommonMark, GitHub's extensions, references, sanitizing)
and code highlighting, line by line."""

from __future__ import annotations

from plue_web.highlighting import highlight_block, highlight_lines
from plue_web.markdown import MarkdownRenderer

render = MarkdownRenderer().render


def test_tables_task_lists_strikethrough_and_autolinks():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ "
                  "https://example.org and mail@example.org")
    assert "<table>" in html and "<td>2</td>" in html
    # Each checkbox is named by its item, for assistive technology.
    assert '<input aria-label="done" checked="checked" disabled="disabled" type="checkbox"> done' in html
    assert '<input aria-label="todo" disabled="disabled" type="checkbox"> todo' in html
    assert "<s>old</s>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">' in html
    assert 'href="mailto:mail@example.org"' in html


def test_issue_and_user_references_become_links():
    html = render("Fixes #12, thanks @bob-b. Not x#3, not a@b.c, not `#4`.",
                  repository_url="/alice/code")
    assert '<a href="/alice/code/issues/12" class="ref"' in html
    assert '<a href="/bob-b" class="ref"' in html
    assert "/issues/3" not in html and 'href="/b.c"' not in html and "/issues/4" not in html


def test_an_issue_reference_needs_a_repository():
    assert "<a" not in render("see #12")


def test_references_inside_a_link_are_left_alone():
    html = render("[see #12](https://example.org)", repository_url="/alice/code")
    assert html.count("<a ") == 1


def test_unsafe_html_is_removed_and_safe_html_kept():
    html = render('<b>bold</b><script>alert(1)</script><img src="x.png" onerror="alert(1)">'
                  '<a href="javascript:alert(1)">x</a><details><summary>more</summary>in</details>')
    assert "<b>bold</b>" in html and "<details><summary>more</summary>in</details>" in html
    assert "<script" not in html and "onerror" not in html and "javascript" not in html
    assert '<img src="x.png">' in html


def test_fenced_code_is_highlighted_with_classes_only():
    html = render("```python\nx = 'a'\n```")
    assert '<pre class="hl"><code><span class="n">x</span>' in html
    assert "style=" not in html


def test_highlighting_gives_one_html_line_per_source_line():
    lines = highlight_lines("main.py", '"""two\nlines"""\nx = 1\n')
    assert len(lines) == 3
    assert lines[0].startswith('<span class="s') and 'two' in lines[0]
    assert lines[1].endswith("</span>") and "lines" in lines[1]
    assert lines[2].startswith('<span class="n">x</span>')


def test_highlighting_escapes_and_falls_back_to_plain_text():
    assert highlight_lines("notes.unknownext", "<b>\n") == ["&lt;b&gt;"]
    assert "&lt;b&gt;" in highlight_block("<b>", "nosuchlanguage", "")


def test_a_file_without_final_newline_keeps_its_last_line():
    assert len(highlight_lines("a.txt", "one\ntwo")) == 2
    assert highlight_lines("a.txt", "") == [""]


def test_relative_links_and_images_resolve_in_the_repository():
    html = render("[app](src/app.py) [up](../x.md) [web](https://x.org) [top](#top) "
                  "![shot](img/p.png) ![far](https://e.org/p.png)", repository_url="/a/r",
                  src_base="/a/r/src/branch/main/docs", raw_base="/a/r/raw/branch/main/docs")
    assert 'href="/a/r/src/branch/main/docs/src/app.py"' in html
    assert 'href="/a/r/src/branch/main/x.md"' in html
    assert 'href="https://x.org"' in html and 'href="#top"' in html
    assert 'src="/a/r/raw/branch/main/docs/img/p.png"' in html
    assert 'src="https://e.org/p.png"' in html
