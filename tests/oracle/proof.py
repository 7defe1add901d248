"""The proof that our method documentation says what botocore.docs says, word for word.

Both sides become a sequence of tokens (runs of word characters, and every other visible
character alone), so layout and whitespace never count, but every word and every punctuation
mark does. Our side leaves out its field labels (`type X:`, `param X:`, `rtype:`, `returns:`)
and its list bullets, which the oracle's text (docutils' HTML) shows as layout rather than text.

Where the sequences differ, each differing stretch is classified:
- `truncation`: botocore replaced a section with "This section is too large to render";
- `botocore`: botocore's reStructuredText misread the model's own text as markup (asterisks,
  backquotes, underscores or backslashes taken away, a list marker or comment consumed);
- `ours`: anything else, which is a defect of our renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

import botocore.model

from apidiff.model import ServiceModel
from apidiff.render.method_text import method_text_lines
from apidiff.report.method_docs import MethodDocumenter
from tests.oracle.botocore_docs import document_method as oracle_document_method
from tests.oracle.html_text import html_to_text_lines

_TOKEN = re.compile(r"\w+|[^\w\s]")
_LABEL = re.compile(r"^(?:(?:type|param) \S+:|rtype:|returns:)$")
# Our renderer's bullet, made one no text holds so that only ours are taken away.
_BULLET = "\ue000 "
# botocore's stand-in for a section over its line limit, as docutils shows it: the section's
# bold title (written raw where it lands in a literal block), the message, and a link.
_TRUNCATION = re.compile(
    r"(?:\*\*)?(?P<title>Request Syntax|Response Syntax|Response Structure|Parameters)?"
    r"(?:\*\*)?\s*(?:::)?\s*"
    r"# This section is too large to render\.\s*# Please see the AWS API Documentation linked"
    r" below\.\s*(?:`AWS API Documentation <[^>]*>`_|AWS API Documentation)?"
)
_TRUNCATED = "TRUNCATEDSECTION"
# Characters reStructuredText takes as inline markup, and may remove from the model's text; and
# a link's target, which botocore's markup shows as text where it runs into the next word.
_REST_MARKUP = re.compile(r"<(?:https?|mailto):[^>]*>|[*`_\\|]")
# Enumerators ("1. An account") as tokens joined by spaces: at the start, or after anything
# but a word ("version 2. A" is no list).
_ENUMERATORS = re.compile(r"(?:^|(?<!\w) )(?:\d{1,3}|[a-zA-Z]) [.)] (?=[A-Z])")
_LIST_MARKER = re.compile(r"^(?:\(?[0-9a-zA-Z#]{1,3}[.)]|[-*+•])$")


class Cause(StrEnum):
    TRUNCATION = "truncation"
    BOTOCORE = "botocore"
    OURS = "ours"


@dataclass(frozen=True, slots=True)
class Difference:
    cause: Cause
    ours: str
    oracle: str


def tokens(lines: Iterable[str], *, ours: bool) -> list[str]:
    if not ours:
        # Each truncated section becomes its title and one token that stands for it.
        text = _TRUNCATION.sub(lambda m: f"{m['title'] or ''} {_TRUNCATED}", "\n".join(lines))
        lines = text.split("\n")
    found: list[str] = []
    for line in lines:
        text = line.strip()
        if ours:
            if _LABEL.match(text):
                continue
            text = text.removeprefix(_BULLET)
        found += _TOKEN.findall(text)
    return found


def our_lines(
    model: ServiceModel, operation: str, documenter: MethodDocumenter | None = None
) -> list[str]:
    """Our text of the operation's documentation (from `documenter`, where one documents
    the model's operations in turn)."""
    documenter = documenter or MethodDocumenter(model)
    return method_text_lines(documenter.document(operation), bullet=_BULLET)


def oracle_lines(model: botocore.model.ServiceModel, operation: str) -> list[str]:
    # docutils titles a danger admonition "!DANGER!"; Sphinx, which builds boto3's published
    # documentation, and we title it "Danger".
    return [
        "Danger" if line == "!DANGER!" else line
        for line in html_to_text_lines(oracle_document_method(model, operation))
    ]


def differences(ours: Sequence[str], oracle: Sequence[str]) -> list[Difference]:
    """Every stretch where the two token sequences differ, classified."""
    return [
        Difference(
            # Two tokens more, the same on both sides: an enumerator can end a stretch ("2" of
            # "2. An") where what follows it is the same again.
            _cause(ours[i1 : i2 + 2], oracle[j1 : j2 + 2]),
            " ".join(ours[i1:i2]),
            " ".join(oracle[j1:j2]),
        )
        for i1, i2, j1, j2 in _differing_stretches(ours, oracle)
    ]


# Tokens that must agree again for two texts to be back in step, and how far ahead to look.
_RUN = 6
_WINDOW = 400


def _differing_stretches(
    ours: Sequence[str], oracle: Sequence[str]
) -> Iterator[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2) for each stretch ours[i1:i2] that stands where oracle[j1:j2] does.

    Linear: the texts are walked side by side, and where they part, the nearest place where
    they agree again for a few tokens is looked for ahead of both. (A general diff is
    quadratic, and a release holds operations of a hundred thousand tokens.) botocore's cut
    sections are the one long stretch: there ours skips to where the oracle goes on.
    """
    i = j = 0
    while i < len(ours) and j < len(oracle):
        if ours[i] == oracle[j]:
            i, j = i + 1, j + 1
            continue
        found = _back_in_step(ours, oracle, i, j)
        if found is None:
            break
        yield i, found[0], j, found[1]
        i, j = found
    if i < len(ours) or j < len(oracle):
        yield i, len(ours), j, len(oracle)


def _back_in_step(
    ours: Sequence[str], oracle: Sequence[str], i: int, j: int
) -> tuple[int, int] | None:
    # A cut section comes with its title, which the two may tell differently.
    cut = next((k for k in range(j, min(len(oracle), j + _RUN)) if oracle[k] == _TRUNCATED), None)
    if cut is not None:
        j = cut
        following = tuple(oracle[j + 1 : j + 1 + _RUN])
        if len(following) < _RUN:
            # The cut section ends the text: ours ends as the oracle does after it.
            start = len(ours) - len(following)
            return (start, j + 1) if tuple(ours[start:]) == following else None
        for start in range(i, len(ours) - len(following) + 1):
            if tuple(ours[start : start + len(following)]) == following:
                return start, j + 1
        return None
    ahead: dict[tuple[str, ...], int] = {}
    for position in range(j, min(len(oracle), j + _WINDOW)):
        ahead.setdefault(tuple(oracle[position : position + _RUN]), position)
    best: tuple[int, int] | None = None
    for position in range(i, min(len(ours), i + _WINDOW)):
        match = ahead.get(tuple(ours[position : position + _RUN]))
        if match is not None and (
            best is None or position - i + match - j < best[0] - i + best[1] - j
        ):
            best = (position, match)
    return best


def _cause(ours: Sequence[str], oracle: Sequence[str]) -> Cause:
    if _TRUNCATED in oracle:
        return Cause.TRUNCATION
    if _without_markup(ours) == _without_markup(oracle):
        return Cause.BOTOCORE
    # List markers the model's text starts paragraphs with ("1. An account", "- x"), taken
    # as such by reStructuredText and so not shown.
    unlisted = _ENUMERATORS.sub(" ", " ".join(ours)).split()
    if unlisted == list(ours) and ours and _LIST_MARKER.match(ours[0]):
        unlisted = unlisted[1:]
    if _without_markup(unlisted) == _without_markup(oracle):
        return Cause.BOTOCORE
    return Cause.OURS


def _without_markup(part: Sequence[str]) -> str:
    return _REST_MARKUP.sub("", "".join(part))
