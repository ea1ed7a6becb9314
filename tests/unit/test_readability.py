from build_data.readability import main_runs, main_text, reading_ease

PAGE = """<html><body><nav><a href="/">Site nav</a></nav>
<article class="md-content__inner md-typeset">
<h1 id="t">Main contact<a class="headerlink" href="#t">&para;</a></h1>
<div class="admonition warning"><p class="admonition-title">Illustrative data</p><p>Made up.</p></div>
<p>People with <a href="../glossary/#secondary-breast-cancer">secondary breast
cancer</a> said yes.</p>
<ul><li>one item</li><li>two items</li></ul>
<table><tr><td>89%</td></tr></table>
<div class="figure-block" markdown="0"><p class="figure-description">A chart.</p></div>
<pre><code>print(1)</code></pre>
<div class="page-cite-block"><details class="page-cite"><summary>Cite this page</summary><p>Cite me.</p></details></div>
</article><footer>Footer text</footer></body></html>"""


def test_main_text_keeps_prose_and_drops_machinery():
    text = main_text(PAGE)
    assert text.splitlines() == ["Main contact.", "Illustrative data.", "Made up.",
                                 "People with secondary breast cancer said yes.", "one item.", "two items."]


def test_main_runs_record_links_and_titles():
    runs = main_runs(PAGE)
    linked = [r for r in runs if r.href]
    assert [(r.text, r.href) for r in linked] == [("secondary breast cancer",
                                                   "../glossary/#secondary-breast-cancer")]
    assert {r.text for r in runs if r.is_title} == {"Main contact", "Illustrative data"}


def test_reading_ease_ranks_plain_above_hard_text():
    plain = "We asked people about their care. Most said it was good. Some did not."
    hard = ("Multidisciplinary organisational characteristics substantially influenced "
            "individualised therapeutic decision-making considerations.")
    assert reading_ease(plain) > 60 > reading_ease(hard)


def test_reading_ease_does_not_split_sentences_at_decimal_points():
    assert reading_ease("The rating was 8.7 out of 10 for this group of people.") == \
        reading_ease("The rating was 87 out of 10 for this group of people.")
