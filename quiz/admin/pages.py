"""The admin's own pages and fragments for questions: the import (dry run, then confirm), and
item analysis and bank-lint warnings as small HTML tables and lists."""

from http import HTTPStatus

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from learn import safe_yaml
from learn.services import ContentError
from learn.templatetags.learn_tags import markdown_inline
from quiz.importer import questions_import
from quiz.lint import sources as lint_sources
from quiz.models import Question
from quiz.percent import percent

MAX_IMPORT_BYTES = safe_yaml.MAX_BYTES  # one cap for every way in: upload, pasted text, CLI


def import_page(model_admin, request):
    """Upload a question file, see the dry run, then confirm: the same importer as the CLI."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import questions",
        "opts": model_admin.opts,
        "max_kb": MAX_IMPORT_BYTES // 1000,
    }
    if request.method != "POST":
        return TemplateResponse(request, "admin/quiz/question/import.html", context)
    name, text, error = _uploaded_text(request)
    if error:
        context["problems"] = [error]
        status = (
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE if "too large" in error else HTTPStatus.BAD_REQUEST
        )
        return TemplateResponse(request, "admin/quiz/question/import.html", context, status=status)
    confirm = request.POST.get("confirm") == "yes"
    started = timezone.now()
    try:
        results = questions_import([(name, text)], dry_run=not confirm)
    except ContentError as problem:
        context.update(problems=problem.problems, name=name)
        return TemplateResponse(
            request,
            "admin/quiz/question/import.html",
            context,
            status=HTTPStatus.BAD_REQUEST,
        )
    if confirm:
        for question in Question.objects.filter(updated_at__gte=started):
            model_admin.log_change(request, question, f"Imported from {name}.")
        summary = "; ".join(str(result) for result in results)
        model_admin.message_user(request, f"Imported {name}: {summary}.", messages.SUCCESS)
        return redirect("admin:quiz_question_changelist")
    report = lint_sources.for_import([(name, text)])
    context.update(
        results=results,
        name=name,
        text=text,
        lint_findings=report.errors,
        lint_silenced=len(report.findings) - len(report.errors),
        lint_bank=report.bank_problems,
    )
    return TemplateResponse(request, "admin/quiz/question/import.html", context)


def _uploaded_text(request) -> tuple[str, str, str]:
    """(file name, text, error): the upload, or the text carried by the dry run's form."""
    upload = request.FILES.get("file")
    too_large = f"is too large: question files are at most {MAX_IMPORT_BYTES // 1000} KB."
    if upload is None:
        text = request.POST.get("text", "")
        name = request.POST.get("name", "upload.yaml")[:100]
        if not text:
            return "", "", "Choose a YAML question file to upload."
        if len(text.encode("utf-8", errors="surrogatepass")) > MAX_IMPORT_BYTES:
            return name, "", f"{name} {too_large}"
        return name, text, ""
    if upload.size > MAX_IMPORT_BYTES:
        return upload.name, "", f"{upload.name} {too_large}"
    try:
        return upload.name, upload.read().decode("utf-8"), ""
    except UnicodeDecodeError:
        return upload.name, "", f"{upload.name} is not UTF-8 text: save it as UTF-8 and retry."


def format_findings(findings) -> str:
    """Lint findings as a list for the change form: warnings, the silenced ones with reasons."""
    if not findings:
        return "No warnings: the bank lint finds nothing to fix in this question."
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong>: {}{}</li>",
            (
                (f.rule, f.message, f" (silenced: {f.silenced})" if f.silenced else "")
                for f in findings
            ),
        ),
    )


def format_item_stats(stats) -> str:
    """Item analysis as a small HTML table for the change form."""
    if stats is None or not stats.answered:
        return "Not answered yet."
    rows = []
    if stats.choices:
        rows = format_html_join(
            "",
            "<tr><td>{}{}</td><td>{}</td><td>{}%</td></tr>",
            (
                (
                    markdown_inline(choice.text),
                    " ✓" if choice.correct else "",
                    picked,
                    percent(share, 1),
                )
                for choice, picked, share in stats.choices
            ),
        )
    flags = format_html_join(
        "", "<li><strong>{}</strong></li>", ((markdown_inline(f),) for f in stats.flags)
    )
    notes = format_html_join("", "<li>{}</li>", ((markdown_inline(n),) for n in stats.notes))
    return format_html(
        "<p>{} answers, {}% right.</p>{}{}{}",
        stats.answered,
        stats.percent_right,
        format_html("<ul>{}</ul>", flags) if stats.flags else "",
        format_html("<ul>{}</ul>", notes) if stats.notes else "",
        format_html(
            "<table><thead><tr><th>Choice</th><th>Picked</th><th>Share</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )
        if stats.choices
        else "",
    )
