"""The lint's thresholds and rules, each with its reason (docs: "Question bank lint")."""

LONG_KEY_RATIO = 1.5  # a key this many times longer than the longest distractor gives itself away
MAX_LENGTH_GUESS_SHARE = 0.30  # any guess by length (longest, 2nd longest …) beats chance by ≤ 5
TRUE_SHARE = (0.40, 0.60)  # true/false keyed True in 40–60 % of questions
MIN_SUBJECT_QUESTIONS = 2  # every registered code is what at least two published questions ask
DUPLICATE_SIMILARITY = 0.35  # TF-IDF cosine of two questions that ask about the same code

RULES: dict[str, str] = {
    "long-key": "a key more than 1.5 times as long as the longest wrong choice",
    "no-why": "a wrong choice without a why",
    "no-wrong-codes": "a code question without wrong_codes for its likeliest misses",
    "dropped-html": "raw HTML that rendering removes",
    "literal-markup": "Markdown that shows up literally (a stray backtick, [[ or **)",
    "code-name-twice": "[[304]] Not Modified: the link already says the name",
    "near-duplicate": "the same scenario and answer as another question, not marked variant_of",
}
MARKDOWN_FIELDS = ("prompt", "explanation")
