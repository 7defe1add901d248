"""The oracle of our method documentation: botocore.docs, rendered to HTML by docutils.

botocore.docs writes a method's documentation as reStructuredText, as for boto3's client
reference but the way the reference pages (awsapichanges.info) show it: no signature line,
exceptions or shared examples, the call written "client.method(...)".
docutils turns that into an HTML fragment. Sphinx is not involved: its roles (``:py:class:`` and
the like) render as their text.

The docutils parser, settings and writer are built once per process and reused, because building
them (docutils' option parser above all) costs more than rendering most operations. That reuse
makes document_method unsafe to call from several threads at once.
"""

import gc
import re
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

import botocore.model
from botocore import xform_name
from botocore.docs.bcdoc.restdoc import SECTION_LINE_LIMIT_CONFIG, DocumentStructure
from botocore.docs.method import document_model_driven_method
from botocore.hooks import HierarchicalEmitter
from docutils import TransformSpec, nodes
from docutils.frontend import Values, get_default_settings
from docutils.parsers.rst import Parser
from docutils.readers.standalone import Reader
from docutils.transforms import Transform
from docutils.utils import new_document
from docutils.writers.html5_polyglot import HTMLTranslator, Writer

# An interpreted-text role as botocore writes it, ":role:`text`".
_ROLE_SOURCE = re.compile(r"^:(?P<role>[\w.:+-]+):`(?P<text>.*)`$", re.DOTALL)
# Sphinx's explicit-title form, "title <target>" (sphinx.util.nodes.explicit_title_re).
_EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<(.*?)>$", re.DOTALL)


def document_method(service_model: botocore.model.ServiceModel, operation_name: str) -> str:
    """The operation's boto3-style documentation as an HTML fragment.

    The fragment is docutils' HTML body, without <html> or <head>. Raises botocore's
    OperationNotFoundError when the model has no such operation.
    """
    operation_model = service_model.operation_model(operation_name)
    with _collector_paused(), deprecations_as_errors():
        return _render_html(_method_rst(operation_model))


@contextmanager
def deprecations_as_errors() -> Iterator[None]:
    """Turns a deprecation docutils (or botocore.docs) warns of into an error at its call.

    A deprecated call works until the release that removes it; as a warning it is one line
    in a summary nobody reads (`publish_parts(writer_name=...)` gave three per run). As an
    error it names our call while the replacement is a one-word change.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        warnings.simplefilter("error", PendingDeprecationWarning)
        yield


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keeps Python's cycle collector from running while a method's documentation is built.

    botocore's sections and docutils' doctree are tens of thousands of objects in reference cycles,
    and their allocation keeps starting collections that walk the long-lived objects too, the
    loaded models included. Paused, the garbage goes in one young-generation collection after the
    call: a fifth less time for a 13-operation SageMaker release, a tenth for its largest ones.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _method_rst(operation_model: botocore.model.OperationModel) -> str:
    method_name = xform_name(operation_model.name)
    document = _MethodDocument(method_name, target="html")
    document_model_driven_method(
        document,
        method_name,
        operation_model,
        # botocore's documenters emit events for boto3's customisations to hook into; we hook
        # none. A fresh emitter each time, as a shared one would cache every event name it saw.
        event_emitter=HierarchicalEmitter(),
        method_description=operation_model.documentation,
        # The reference pages show the call without boto3's "response = " in front.
        example_prefix=f"client.{method_name}",
        # Its ".. py:method::" directive is Sphinx's: docutils would drop everything inside it.
        include_signature=False,
    )
    rst: bytes = document.flush_structure()
    return rst.decode("utf-8")


class _MethodDocument(DocumentStructure):
    """A botocore DocumentStructure that skips wasted work.

    botocore replaces a section longer than its line limit (SECTION_LINE_LIMIT_CONFIG: 1,500 lines
    of syntax, 5,000 of parameters) with a pointer to the AWS documentation when it is flushed, so
    whatever goes into a section once it is over its limit is thrown away. Some operations go far
    over: QuickSight's UpdateTemplate would build half a million sections to throw away, SageMaker's
    Search tens of thousands. So each limited section counts the line breaks written into it, and
    once over its limit, the sections botocore adds under it are one shared sink that keeps nothing
    and converts no documentation (each conversion parses HTML).

    That is exact because a section over its limit stays over it: botocore's documenters take a
    line break back only in clear_text, on an empty structure, which writes it again at once (the
    count refunds it meanwhile).

    botocore-stubs leave out the private members used here (_write, _writes, keep_data).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._budget: _LineBudget | None = None

    def add_new_section(
        self, name: str, context: Mapping[str, Any] | None = None
    ) -> DocumentStructure:
        budget = self._budget
        if budget is not None and budget.exhausted():
            return budget.sink()
        # botocore builds every section with self.__class__, so sections are _MethodDocuments.
        section = cast(_MethodDocument, super().add_new_section(name, context))
        limit = SECTION_LINE_LIMIT_CONFIG.get(name)
        # A limited section inside another is flushed (and maybe replaced) on its own: its lines
        # count against its own limit only, which keeps the outer count a lower bound.
        section._budget = _LineBudget(limit["line_limit"]) if limit else budget
        return section

    def _write(self, s: str | None) -> None:
        super()._write(s)  # type: ignore[misc]
        if s and self._budget is not None and self.keep_data:  # type: ignore[attr-defined]
            self._budget.remaining -= s.count("\n")

    def clear_text(self) -> None:
        if self._budget is not None:
            writes: list[str] = self._writes  # type: ignore[attr-defined]
            self._budget.remaining += sum(write.count("\n") for write in writes)
        super().clear_text()

    def include_doc_string(self, doc_string: str | None) -> None:
        if doc_string and (self._budget is None or not self._budget.exhausted()):
            super().include_doc_string(doc_string)


class _LineBudget:
    """The line breaks a limited section may still take before botocore discards its text."""

    __slots__ = ("_over", "_sink", "remaining")

    def __init__(self, remaining: int) -> None:
        self.remaining = remaining
        self._over = False
        self._sink: _MethodDocument | None = None

    def exhausted(self) -> bool:
        self._over = self._over or self.remaining < 0
        return self._over

    def sink(self) -> "_MethodDocument":
        """The one section, attached nowhere, that takes the place of all new ones once over."""
        if self._sink is None:
            self._sink = _MethodDocument("discarded")
            self._sink.keep_data = False  # type: ignore[attr-defined]
            self._sink._budget = self
        return self._sink


def _render_html(rst: str) -> str:
    pipeline = _pipeline()
    document = new_document("<method documentation>", pipeline.settings)
    pipeline.parser.parse(rst, document)
    document.transformer.populate_from_components(pipeline.components)
    document.transformer.add_transform(_SphinxRolesAsText)
    document.transformer.apply_transforms()
    # The translator alone, not Writer.write: that would also read and fill the page template.
    translator = HTMLTranslator(document)
    document.walkabout(translator)
    return "".join(translator.body)


class _Pipeline:
    """The docutils parts that are expensive to build and safe to reuse between documents."""

    def __init__(self) -> None:
        self.parser = Parser()
        # The reader and writer are here only for the transforms they call for.
        self.components: tuple[TransformSpec, ...] = (Reader(), self.parser, Writer())
        self.settings = _settings()


@cache
def _pipeline() -> _Pipeline:
    return _Pipeline()


def _settings() -> Values:
    settings = get_default_settings(Reader, Parser, Writer)
    overrides: dict[str, object] = {
        # Model documentation is untrusted text: nothing may read files or pass raw HTML through.
        "file_insertion_enabled": False,
        "raw_enabled": False,
        # Problems in the generated markup are botocore's, not the reader's: never print or stop.
        "report_level": 5,
        "halt_level": 5,
        "warning_stream": False,
        # botocore writes all of an enum's values on one line: EC2's InstanceType makes 17,800
        # characters. Past docutils' default limit (10,000) the whole document would be dropped.
        "line_length_limit": 1_000_000,
        # Keep every part of the body in the body: no title or field list promoted out of it.
        "doctitle_xform": False,
        "docinfo_xform": False,
        # Link no stylesheet and embed none: the translator would read the CSS files otherwise.
        "embed_stylesheet": False,
        "stylesheet_path": [],
        "stylesheet": [],
    }
    for name, value in overrides.items():
        setattr(settings, name, value)
    return settings


class _SphinxRolesAsText(Transform):
    """Renders the roles docutils does not know (Sphinx's, such as ``:py:class:``) as their text.

    docutils parses an unknown role into a "problematic" node holding the role's source; this
    replaces each such node with the text Sphinx would show for it, minus the link.
    """

    # Before the writer's transforms, which report on problematic nodes that are left.
    default_priority = 500

    def apply(self) -> None:
        for node in list(self.document.findall(nodes.problematic)):
            role = _ROLE_SOURCE.match(node.rawsource)
            if role:
                title = _sphinx_role_title(role.group("text"))
                css_class = role.group("role").replace(":", "-")
                text = nodes.inline(node.rawsource, title, classes=["xref", css_class])
                # Not replace_self: that would carry over the id that ties the node to its error.
                node.parent.replace(node, text)


def _sphinx_role_title(text: str) -> str:
    """The text Sphinx shows for a cross-reference role (sphinx.roles.XRefRole)."""
    explicit = _EXPLICIT_TITLE.match(text)
    if explicit:
        return explicit.group(1)
    # "!x" means "do not link"; ".x" widens the search; "~a.b.c" shows only "c".
    title = text.lstrip("!").lstrip(".")
    if title.startswith("~"):
        title = title[1:].rpartition(".")[2]
    return title
