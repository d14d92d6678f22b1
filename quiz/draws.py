"""Drawing interview-prep questions for one learner: every class represented, weighted towards
what the learner has never met or keeps missing, one question per scenario.

A new learner (no evidence) gets a draw balanced across the classes. Weights come from the
learner's evidence per subject code (quiz.progress.evidence): a code never met weighs 3, a
code met weighs 1 + 2 × (1 − its mastery score), so one always missed weighs 3 and one mastered
weighs 1. A question weighs as its heaviest subject code; a class gets slots in proportion to
its questions' weight (at least one each), and within a class questions are drawn by weight.
"""

import random
from collections import defaultdict

from quiz.models import Question, scenario_groups
from quiz.progress.mastery import CodeMastery
from quiz.progress.models import CodeEvidence, Learner

NEVER_MET = 3.0


def code_weights(learner: Learner | None) -> dict[int, float]:
    """{code: weight} for the codes the learner has evidence on; others weigh NEVER_MET."""
    if learner is None:
        return {}
    weights = {}
    for code, recent in CodeEvidence.objects.filter(learner=learner).values_list("code", "recent"):
        row = CodeMastery(code, "")
        row.take(recent)
        weights[code] = 1 + 2 * (1 - row.score)
    return weights


def adaptive_draw(
    pool: list[int], size: int, learner: Learner | None, rng: random.Random
) -> list[int]:
    """`size` question ids from `pool` (published ones), as the module docstring says."""
    subjects: dict[int, list[int]] = defaultdict(list)
    for question_id, code in Question.objects.filter(pk__in=pool).values_list(
        "id", "subject__code"
    ):
        if code is not None:
            subjects[question_id].append(code)
    groups = scenario_groups(sorted(pool))
    candidates = [rng.choice(group) for group in groups.values()]
    weights = code_weights(learner)
    by_class: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for question_id in candidates:
        codes = subjects.get(question_id) or [200]
        weight = max(weights.get(code, NEVER_MET) for code in codes)
        by_class[min(codes) // 100].append((question_id, weight))
    chosen: list[int] = []
    sizes = {digit: len(items) for digit, items in by_class.items()}
    weights_by_class = {digit: sum(w for _, w in items) for digit, items in by_class.items()}
    for digit, slots in class_slots(sizes, size, weights_by_class).items():
        chosen += weighted_sample(by_class[digit], slots, rng)
    rng.shuffle(chosen)
    return chosen


def class_slots(
    available: dict[int, int], size: int, weight: dict[int, float] | None = None
) -> dict[int, int]:
    """How many questions each class gets: at least one each when there is room, the rest in
    proportion to each class's total weight (by default, how many questions it has; largest
    remainders), never more than it has."""
    weight = weight or {digit: float(count) for digit, count in available.items()}
    size = min(size, sum(available.values()))
    slots = dict.fromkeys(available, 0)
    if size >= len(available):
        slots = {digit: 1 for digit, count in available.items() if count}
    left = size - sum(slots.values())
    total = sum(weight.values())
    shares = {d: left * weight[d] / total for d in available} if total else {}
    for digit, share in shares.items():
        slots[digit] += min(int(share), available[digit] - slots[digit])
    remainders = sorted(shares, key=lambda d: (-(shares[d] - int(shares[d])), d))
    while sum(slots.values()) < size:
        for digit in remainders:
            if sum(slots.values()) < size and slots[digit] < available[digit]:
                slots[digit] += 1
    return slots


def weighted_sample(items: list[tuple[int, float]], k: int, rng: random.Random) -> list[int]:
    """k ids without replacement, each drawn in proportion to its weight (Efraimidis and
    Spirakis: the k largest of u ** (1 / weight))."""
    keyed = sorted(items, key=lambda item: rng.random() ** (1 / item[1]), reverse=True)
    return [question_id for question_id, _ in keyed[:k]]
