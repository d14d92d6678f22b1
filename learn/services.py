"""Writes for the learn app: upserting the shipped lesson and code files into the database."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from learn import rubric, safe_yaml
from learn.models import FollowUp, Lesson, StatusCode

CONTENT_DIR = Path(__file__).resolve().parent / "content"

CODE_FIELDS = {
    "code": int,
    "name": str,
    "former_names": list,
    "official": bool,
    "spec": str,
    "spec_url": str,
    "summary": str,
    "when_to_use": str,
    "when_not_to_use": str,
    "headers": list,
    "example": str,
    "mistakes": str,
    "related": list,
    "retry": str,
    "retry_note": str,
}
OPTIONAL_CODE_FIELDS = {"history": str}
LESSON_FIELDS = {
    "slug": str,
    "title": str,
    "group": str,
    "position": int,
    "summary": str,
    "takeaways": list,
    "short_answer": str,
    "codes": list,
    "followups": list,
}
FOLLOWUP_FIELDS = {"key": str, "question": str, "answer": str, "rubric": list}


class ContentError(Exception):
    """The content files are invalid; `problems` says where, and nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # what an author should know, e.g. retirements

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        return (
            f"{self.kind}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def _check_fields(data: Any, spec: dict, optional: dict, where: str, problems: list[str]) -> bool:
    if not isinstance(data, dict):
        problems.append(f"{where}: expected a mapping of fields")
        return False
    ok = True
    for name, kind in spec.items():
        if name not in data:
            problems.append(f"{where}: missing field '{name}'")
            ok = False
        elif kind is int and (isinstance(data[name], bool) or not isinstance(data[name], int)):
            problems.append(f"{where}: '{name}' must be a whole number")
            ok = False
        elif not isinstance(data[name], kind) and not (kind is str and data[name] is None):
            problems.append(f"{where}: '{name}' must be a {kind.__name__}")
            ok = False
    for name in set(data) - set(spec) - set(optional):
        problems.append(f"{where}: unknown field '{name}'")
        ok = False
    return ok


def _model_problems(instance, where: str, exclude: list[str]) -> list[str]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        return [f"{where}: {field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return []


def parse_codes(directory: Path, problems: list[str]) -> dict[int, dict]:
    """Read every `codes/*.yaml` file into {code: fields}, collecting problems."""
    codes: dict[int, dict] = {}
    for path in sorted((directory / "codes").glob("*.yaml")):
        try:
            document = safe_yaml.load(path.read_text(encoding="utf-8"), name=path.name) or {}
        except safe_yaml.YamlProblem as error:
            problems.append(str(error))
            continue
        entries = document.get("codes") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            problems.append(f"{path.name}: expected a top-level 'codes:' list")
            continue
        for index, entry in enumerate(entries):
            label = entry.get("code", f"#{index + 1}") if isinstance(entry, dict) else index + 1
            where = f"{path.name}: code {label}"
            if not _check_fields(entry, CODE_FIELDS, OPTIONAL_CODE_FIELDS, where, problems):
                continue
            fields = {"history": ""} | {k: "" if v is None else v for k, v in entry.items()}
            if fields["code"] in codes:
                problems.append(f"{where}: defined twice")
                continue
            model_fields = {k: v for k, v in fields.items() if k != "related"}
            problems.extend(_model_problems(StatusCode(**model_fields), where, ["related"]))
            for header in fields["headers"]:
                if not (isinstance(header, dict) and set(header) == {"name", "rule"}):
                    problems.append(f"{where}: each header needs exactly 'name' and 'rule'")
            codes[fields["code"]] = fields
    for code, fields in codes.items():
        for other in fields["related"]:
            if other not in codes:
                problems.append(f"code {code}: related code {other} is not defined")
    return codes


def _split_front_matter(text: str) -> tuple[str, str] | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end == -1:
        return None
    return text[4:end], text[end + 5 :]


def parse_lessons(directory: Path, known_codes: set[int], problems: list[str]) -> dict[str, dict]:
    """Read every `lessons/*.md` file into {slug: fields}, collecting problems."""
    lessons: dict[str, dict] = {}
    for path in sorted((directory / "lessons").glob("*.md")):
        parts = _split_front_matter(path.read_text(encoding="utf-8"))
        if parts is None:
            problems.append(f"{path.name}: must start with front matter between '---' lines")
            continue
        try:
            meta = safe_yaml.load(parts[0], name=f"{path.name} (front matter)")
        except safe_yaml.YamlProblem as error:
            problems.append(str(error))
            continue
        where = f"{path.name}"
        if not _check_fields(meta, LESSON_FIELDS, {}, where, problems):
            continue
        fields = dict(meta, body=parts[1].strip() + "\n")
        if fields["slug"] in lessons:
            problems.append(f"{where}: slug '{fields['slug']}' is used twice")
            continue
        problems.extend(
            _model_problems(
                Lesson(**{k: v for k, v in fields.items() if k not in ("codes", "followups")}),
                where,
                ["codes"],
            )
        )
        for code in fields["codes"]:
            if code not in known_codes:
                problems.append(f"{where}: code {code} has no reference entry")
        _check_followups(fields["followups"], where, problems)
        if not (fields["short_answer"] or "").strip():
            problems.append(f"{where}: 'short_answer' is empty: write the interview-ready answer")
        if not all(isinstance(t, str) for t in fields["takeaways"]):
            problems.append(f"{where}: every takeaway must be a line of text")
        lessons[fields["slug"]] = fields
    return lessons


def _check_followups(followups: list, where: str, problems: list[str]) -> None:
    """Each follow-up has exactly its fields, a key used once in the lesson, a valid rubric."""
    keys: set[str] = set()
    for number, followup in enumerate(followups, start=1):
        label = f"follow-up {number}"
        if isinstance(followup, dict) and isinstance(followup.get("key"), str):
            label = f"follow-up {number} ({followup['key']})"
        if not _check_fields(followup, FOLLOWUP_FIELDS, {}, f"{where}: {label}", problems):
            continue
        if followup["key"] in keys:
            problems.append(f"{where}: {label}: key '{followup['key']}' is used twice")
        keys.add(followup["key"])
        instance = FollowUp(**followup)
        problems.extend(_model_problems(instance, f"{where}: {label}", ["lesson", "rubric"]))
        problems.extend(f"{where}: {label}: rubric: {p}" for p in rubric.problems(instance.rubric))


def upsert(model, lookup: dict, fields: dict) -> tuple[Any, str]:
    """Create or update one row; say whether it was "created", "updated" or "unchanged"."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **fields), "created"
    if all(getattr(instance, key) == value for key, value in fields.items()):
        return instance, "unchanged"
    for key, value in fields.items():
        setattr(instance, key, value)
    instance.save()
    return instance, "updated"


def count_outcome(result: LoadResult, outcome: str, related_changed: bool = False) -> None:
    """Add one row's outcome to the report; a change to its relations makes it updated."""
    if outcome == "unchanged" and related_changed:
        outcome = "updated"
    setattr(result, outcome, getattr(result, outcome) + 1)


@transaction.atomic
def content_load(*, directory: Path | None = None) -> list[LoadResult]:
    """Upsert the shipped status codes and lessons; all or nothing."""
    directory = directory or CONTENT_DIR
    problems: list[str] = []
    codes = parse_codes(directory, problems)
    lessons = parse_lessons(directory, set(codes), problems)
    if problems:
        raise ContentError(problems)

    code_result = LoadResult("Status codes")
    outcomes: dict[int, str] = {}
    by_code: dict[int, StatusCode] = {}
    for code, fields in sorted(codes.items()):
        values = {k: v for k, v in fields.items() if k not in ("code", "related")}
        by_code[code], outcomes[code] = upsert(StatusCode, {"code": code}, values)
    links = StatusCode.related.through.objects.values_list(
        "from_statuscode__code", "to_statuscode__code"
    )
    have_related: dict[int, set[int]] = {}
    for source, target in links:
        have_related.setdefault(source, set()).add(target)
    for code, fields in sorted(codes.items()):
        wanted = set(fields["related"])
        related_changed = wanted != have_related.get(code, set())
        if related_changed:
            by_code[code].related.set([by_code[other] for other in wanted])
        count_outcome(code_result, outcomes[code], related_changed)

    lesson_result = LoadResult("Lessons")
    for slug, fields in sorted(lessons.items(), key=lambda item: item[1]["position"]):
        values = {k: v for k, v in fields.items() if k not in ("slug", "codes", "followups")}
        lesson, outcome = upsert(Lesson, {"slug": slug}, values)
        wanted_codes = set(fields["codes"])
        codes_changed = wanted_codes != set(lesson.codes.values_list("code", flat=True))
        if codes_changed:
            lesson.codes.set([by_code[code] for code in wanted_codes])
        followups_changed = _followups_sync(lesson, fields["followups"], lesson_result.notes)
        count_outcome(lesson_result, outcome, codes_changed or followups_changed)
    return [code_result, lesson_result]


def _followups_sync(lesson: Lesson, wanted: list[dict], notes: list[str]) -> bool:
    """Match the lesson's follow-ups to the file by key: update in place, add, remove.

    A follow-up keeps its row (and so its id) across edits to its text, rubric or position;
    a follow-up whose key left the file is deleted if nothing needs it, and otherwise retired
    (kept for learners' history, shown nowhere); one that comes back to the file is current
    again.
    """
    have = {followup.key: followup for followup in lesson.followups.all()}
    changed = False
    for position, item in enumerate(wanted):
        values = {k: v for k, v in item.items() if k != "key"}
        values |= {"position": position, "retired_at": None}
        followup = have.pop(item["key"], None)
        if followup is None:
            FollowUp.objects.create(lesson=lesson, key=item["key"], **values)
            changed = True
        elif any(getattr(followup, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(followup, name, value)
            followup.save()
            changed = True
    for followup in have.values():
        if _followup_removable(followup):
            followup.delete()
            changed = True
        elif followup.retired_at is None:
            followup.retired_at = timezone.now()
            followup.save(update_fields=["retired_at"])
            changed = True
            notes.append(
                f"{lesson.slug}: the follow-up '{followup.key}' left the file, but learners have "
                "drilled it, so it is retired: their history keeps it, the lesson and the drill "
                "no longer show it."
            )
    return changed


def _followup_removable(followup: FollowUp) -> bool:
    """Whether a follow-up that left the content files may be deleted: not when any learner
    has drilled it or has a review card for it, so reloading the files never erases progress.

    Learners' rows point at it with PROTECT foreign keys; the deletion collector finds them
    without this app knowing the models that hold them (as the admin's `KeepsLearnerHistory`).
    """
    try:
        Collector(using=router.db_for_write(FollowUp)).collect([followup])
    except (ProtectedError, RestrictedError):
        return False
    return True
