"""The bank lint, rule by rule, on small synthetic banks: each rule fires, and stays quiet."""

import copy

import pytest

from learn.registry import REGISTERED
from quiz.lint import figures, lint_bank, lint_question, unused_silences
from quiz.lint.markup import dropped_html, literal_markup, names_twice, rendered_length
from quiz.lint.questions import question_findings


def single(slug="s", key="403 Forbidden", wrong=("401 Unauthorized", "404 Not Found"), **over):
    question = {
        "slug": slug,
        "type": "single",
        "prompt": "A viewer deletes a project only admins may delete. Which status?",
        "choices": [{"key": "a", "text": key, "correct": True}]
        + [
            {"key": chr(98 + n), "text": text, "why": "The deciding fact."}
            for n, text in enumerate(wrong)
        ],
        "explanation": "Authenticated but not allowed: [[403]].",
        "subject": [403],
        "codes": [401, 403, 404],
    }
    question.update(over)
    return question


def truefalse(slug, answer, subject=(204,)):
    return {
        "slug": slug,
        "type": "truefalse",
        "prompt": f"Statement {slug} about {subject[0]}.",
        "answer": answer,
        "explanation": "Because.",
        "subject": list(subject),
        "codes": list(subject),
    }


def code(slug, answer, **over):
    question = {
        "slug": slug,
        "type": "code",
        "prompt": f"Scenario {slug}: which code?",
        "answer": answer,
        "wrong_codes": {500: "Nothing broke on the server."},
        "explanation": f"It is [[{answer}]].",
        "codes": [answer],
    }
    question.update(over)
    return question


def rules(question) -> list[str]:
    return [f.rule for f in question_findings(question) if not f.silenced]


# One question ---------------------------------------------------------------------------------


def test_a_clean_question_has_no_findings():
    assert rules(single()) == []


def test_long_key_fires_past_one_and_a_half_times_the_longest_distractor():
    long = single(key="403 Forbidden, because the role lacks the permission to delete it")
    assert rules(long) == ["long-key"]
    edge = single(key="x" * 24, wrong=("y" * 16,))
    assert rules(edge) == []  # exactly 1.5 times is allowed
    assert rules(single(key="x" * 25, wrong=("y" * 16,))) == ["long-key"]


def test_long_key_counts_rendered_text():
    assert rendered_length("[[403]]") == len("403 Forbidden")
    assert rendered_length("`no-cache`") == len("no-cache")
    # "[[511]]" reads "511 Network Authentication Required": 35 characters, not 7.
    assert rules(single(key="[[511]]", wrong=("[[401]]", "[[407]]"))) == []
    assert rules(single(key="[[511]]", wrong=("401", "407"))) == ["long-key"]


def test_long_key_in_multiple_choice_is_per_key():
    question = single(type="multiple", wrong=("401",))
    question["choices"].append({"key": "z", "text": "404", "correct": True})
    assert rules(question) == ["long-key"]  # "403 Forbidden" (13) > 1.5 × 3


def test_a_silenced_rule_keeps_its_reason_and_is_not_an_error():
    question = single(key="x" * 40, lint={"long-key": "the name of the code is long"})
    (finding,) = question_findings(question)
    assert finding.rule == "long-key" and finding.silenced == "the name of the code is long"
    assert rules(question) == []


def test_no_why_fires_for_a_wrong_choice_without_one():
    question = single()
    question["choices"][1].pop("why")
    assert rules(question) == ["no-why"]


def test_no_wrong_codes_fires_for_a_code_question_without_them():
    assert rules(code("c", 404)) == []
    assert rules(code("c", 404, wrong_codes={})) == ["no-wrong-codes"]


@pytest.mark.parametrize(
    "text, dropped",
    [
        ("markup like <script>alert(1)</script> literally", ["<script>"]),
        ("an <img src=x onerror=alert(1)> here", ["<img>"]),
        ('a <a href="javascript:alert(1)">link</a>', ["the href of <a>"]),
        ('a <span onclick="x()">span</span>', ["onclick= on <span>"]),
        ("a <!-- note --> comment", ["<!-- … -->"]),
        ("generics like List<String> outside code", ["<string>"]),
        ("a `<script>` tag in a code span", []),
        ("```html\n<script>x</script>\n```", []),
        ("an autolink <https://example.com/a>", []),
        ("kept markup: <em>this</em> and <kbd>Ctrl</kbd>", []),
        ("a < b and c > d", []),
    ],
)
def test_dropped_html_names_what_the_sanitiser_removes(text, dropped):
    assert dropped_html(text) == dropped


def test_dropped_html_is_reported_for_every_authored_field():
    question = single(prompt="Read <script>x</script> first.")
    question["choices"][1]["text"] = "<b>401</b>"
    question["choices"][2]["why"] = "See <iframe src=x></iframe>."
    findings = [f for f in question_findings(question) if f.rule == "dropped-html"]
    assert [f.message.split(":")[0] for f in findings] == ["prompt", "choice b", "why of choice c"]


@pytest.mark.parametrize(
    "text, literal",
    [
        ("an unclosed `code span", ["`"]),
        ("an unknown [[lab:no-such-experiment]] link", ["[[", "]]"]),
        ("a **bold that never closes", ["**"]),
        ("a `closed` span, **bold** and [[403]]", []),
        ("```js\nconst a = `template`;\n```", []),
    ],
)
def test_literal_markup_finds_markdown_a_learner_would_see_as_typed(text, literal):
    assert literal_markup(text) == literal


def test_code_name_twice_fires_when_the_name_follows_the_link():
    assert names_twice("Validators, [[304]] Not Modified on reads") == [304]
    assert names_twice("answers [[504]] Gateway\n      Timeout, a 5xx") == [504]
    assert names_twice("[[418]] I'm a teapot") == [418]  # the common name it shows
    assert names_twice("[[304]] on reads; [[404|missing]] Not Found") == []
    assert rules(single(explanation="That is [[403]] Forbidden.")) == ["code-name-twice"]


def test_quiz_descriptions_are_linted_too():
    report = lint_bank([], [{"slug": "q", "description": "Validators, [[304]] Not Modified."}])
    assert [(f.slug, f.rule) for f in report.errors] == [("quiz:q", "code-name-twice")]


# Near-duplicates ------------------------------------------------------------------------------


def twins():
    a = code(
        "webhook-bad-signature",
        400,
        prompt="A webhook arrives with a signature that does not verify against the endpoint "
        "secret. Which status should the receiver answer?",
        explanation="A forged or altered delivery is the sender's problem: [[400]].",
    )
    b = copy.deepcopy(a)
    b["slug"] = "webhook-signature-mismatch"
    b["prompt"] = "The signature header of a webhook delivery does not verify with the secret."
    others = [code(f"other-{n}", c) for n, c in enumerate((201, 204, 301, 404, 409, 503))]
    return a, b, others


def test_near_duplicates_with_the_same_subject_are_reported_on_both():
    a, b, others = twins()
    report = lint_bank([a, b, *others])
    found = [(f.slug, f.rule) for f in report.errors]
    assert ("webhook-bad-signature", "near-duplicate") in found
    assert ("webhook-signature-mismatch", "near-duplicate") in found
    pair = report.figures.duplicates[0][:2]
    assert pair == ("webhook-bad-signature", "webhook-signature-mismatch")


def test_a_marked_variant_is_not_a_duplicate():
    a, b, others = twins()
    b["variant_of"] = a["slug"]
    report = lint_bank([a, b, *others])
    assert [f for f in report.errors if f.rule == "near-duplicate"] == []
    assert report.figures.variant_pairs == 1


def test_similar_questions_about_different_codes_are_not_duplicates():
    a, b, others = twins()
    b["answer"], b["codes"], b["explanation"] = 401, [401], "It is [[401]]."
    assert not [f for f in lint_bank([a, b, *others]).errors if f.rule == "near-duplicate"]


def test_an_unpublished_copy_is_not_a_duplicate():
    a, b, others = twins()
    b["published"] = False
    assert not [f for f in lint_bank([a, b, *others]).errors if f.rule == "near-duplicate"]


def test_lint_question_checks_a_draft_against_the_bank():
    a, b, others = twins()
    draft = dict(b, published=False)
    found = lint_question(draft, [a, *others])
    assert [(f.slug, f.rule) for f in found] == [("webhook-signature-mismatch", "near-duplicate")]


# The bank -------------------------------------------------------------------------------------


def test_longest_key_share_counts_a_tie_as_a_split_guess():
    bank = [
        single("longest", key="x" * 20, wrong=("y" * 15, "z" * 15)),
        single("tied", key="x" * 20, wrong=("y" * 20, "z" * 10)),
        single("shorter", key="x" * 10, wrong=("y" * 20, "z" * 10)),
        single("shortest", key="x" * 5, wrong=("y" * 20, "z" * 10)),
    ]
    numbers = figures(bank)
    assert numbers.longest_share == pytest.approx((1 + 0.5) / 4)
    assert numbers.chance_share == pytest.approx(1 / 3)


def test_the_bank_fails_when_the_longest_key_wins_too_often():
    bank = [single(f"q{n}", key="x" * 20, wrong=("y" * 15,)) for n in range(3)]
    bank.append(single("q3", key="x" * 10, wrong=("y" * 15,)))
    report = lint_bank(bank)
    assert any("longest choice in 75.0%" in problem for problem in report.bank_problems)


@pytest.mark.parametrize("true_count, failing", [(1, True), (2, False), (3, False), (4, True)])
def test_true_false_balance_is_kept_within_40_to_60_percent(true_count, failing):
    bank = [truefalse(f"t{n}", n < true_count) for n in range(5)]
    problems = lint_bank(bank).bank_problems
    assert any("keyed True" in p for p in problems) is failing


def test_every_registered_code_needs_two_published_subject_questions():
    bank = [code(f"c{c}-{n}", c) for c in REGISTERED for n in range(2)]
    assert lint_bank(bank).bank_problems == []
    bank[0]["published"] = False  # the first code now has one
    first = min(REGISTERED)
    (problem,) = lint_bank(bank).bank_problems
    assert problem.startswith("1 registered codes are the subject of fewer than 2")
    assert f"{first} (1)" in problem


def test_the_subject_defaults_as_the_importer_derives_it():
    question = single()
    question.pop("subject")  # every choice starts with a code: the key's code is the subject
    assert figures([question]).subject_counts == {403: 1}


def test_a_failed_bank_reports_why_and_a_clean_one_reports_ok():
    bank = [code(f"c{c}-0", c) for c in REGISTERED]
    bank += [code(f"c{c}-1", c, variant_of=f"c{c}-0") for c in REGISTERED]
    bank += [truefalse("t1", True, (204,)), truefalse("t2", False, (205,))]
    assert lint_bank(bank).text().endswith("OK")
    bank.append(single(key="x" * 40))
    report = lint_bank(bank)
    assert report.failed and report.text().endswith("FAILED")
    assert "s: long-key:" in report.text()


def test_unused_silences_are_pointed_out():
    question = single(lint={"long-key": "no longer needed"})
    report = lint_bank([question])
    assert unused_silences([question], report.findings) == [
        "s: lint: long-key is silenced but does not fire; remove it"
    ]


def test_every_pick_by_length_guesser_is_held_at_chance():
    """Shortening every key makes "pick the second longest" pay instead: caught too."""
    bank = [single(f"q{n}", key="x" * 18, wrong=("y" * 20, "z" * 10, "w" * 8)) for n in range(4)]
    numbers = figures(bank)
    assert numbers.longest_share == 0
    assert numbers.length_share("2nd longest") == 1
    problems = lint_bank(bank).bank_problems
    assert any("the key is the 2nd longest choice in 100.0%" in p for p in problems)


def test_a_tied_key_shares_its_places_in_the_length_order():
    from quiz.lint.bank import length_guesses

    hits = length_guesses(10, [10, 10, 5, 20])  # the key ties for 2nd and 3rd place
    assert hits == {"longest": 0.0, "2nd longest": 0.5, "2nd shortest": 0.5, "shortest": 0.0}
    assert length_guesses(5, [5, 9, 7]) == {
        "longest": 0.0, "2nd longest": 0.0, "2nd shortest": 0.0, "shortest": 1.0
    }  # fmt: skip
