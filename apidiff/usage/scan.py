"""The static scan: which boto3 clients Python code makes, what it calls on them, with which
arguments, and which keys it reads from what comes back.

Only the standard `ast` module reads the code: nothing is imported or run. What the scan
follows is a simple local data flow, statement by statement: names, `self.` attributes,
module globals, small factory functions (their return values) and `mypy_boto3_*` type
annotations. What it cannot see (a service name that is not a literal, a method chosen by
`getattr`, `**kwargs` built elsewhere) is kept with the reason, never dropped.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from apidiff.usage.calls import (
    ITEMS,
    OPAQUE,
    VALUES,
    Argument,
    ArgumentForm,
    CallKind,
    Location,
    ScannedCall,
)

# Client methods botocore and boto3 add beside the operations: never an operation's call.
_CLIENT_HELPERS = frozenset(
    {
        "can_paginate",
        "close",
        "copy",
        "download_file",
        "download_fileobj",
        "exceptions",
        "generate_db_auth_token",
        "generate_presigned_post",
        "generate_presigned_url",
        "meta",
        "upload_file",
        "upload_fileobj",
        "waiter_names",
    }
)
# Packages whose modules make sessions and clients, and the stub packages naming client types.
_SDK_MODULES = ("boto3", "aioboto3", "botocore", "aiobotocore")
_CLIENT_TYPE_PACKAGES = ("mypy_boto3_", "types_aiobotocore_", "types_aioboto3_")

# What an expression stands for, as far as the scan follows it.


@dataclass(frozen=True, slots=True)
class _Module:
    name: str


@dataclass(frozen=True, slots=True)
class _Factory:
    """A callable making a session ("session"), a client ("client"), a resource ("resource"),
    or what may be a client ("inferred client": `.client(...)` on something unknown)."""

    makes: str


# What a session's attributes make.
_SESSION_FACTORIES = {
    "client": _Factory("client"),
    "create_client": _Factory("client"),
    "resource": _Factory("resource"),
}


@dataclass(frozen=True, slots=True)
class _Session:
    pass


@dataclass(frozen=True, slots=True)
class _ClientType:
    service: str


@dataclass(frozen=True, slots=True)
class _Client:
    service: str | None
    # Made by `.client("ec2")` on something the scan does not know as a session (a
    # function's parameter, another module's helper): a call only if the service exists.
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class _Resource:
    """A boto3 resource: the service's, then each sub-resource taken (`s3.Bucket("b")`)."""

    service: str | None
    hops: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _ResourceMember:
    """What a resource's attributes lead to: an action (`table.put_item`), a collection's
    method (`bucket.objects.filter`), or a sub-resource (`Bucket`), about to be called."""

    resource: _Resource
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _ResourceMeta:
    service: str | None


@dataclass(frozen=True, slots=True)
class _Method:
    """A client's method, about to be called; `name` None where chosen at run time."""

    client: _Client
    name: str | None


@dataclass(frozen=True, slots=True)
class _Companion:
    """A paginator or waiter of a client (kind PAGINATE or WAIT)."""

    client: _Client
    kind: CallKind
    name: str | None


@dataclass(slots=True)
class _CallBuilder:
    """A call being scanned: reads from its result are added as the code goes on."""

    location: Location
    client: _Client
    kind: CallKind
    method: str | None
    arguments: tuple[tuple[str, Argument], ...]
    hidden: str | None
    reads: set[tuple[str, ...]] = field(default_factory=set)

    def freeze(self) -> ScannedCall:
        reasons = [self.hidden]
        if self.client.service is None:
            reasons.insert(0, "service name not visible")
        hidden = "; ".join(reason for reason in reasons if reason) or None
        return ScannedCall(
            location=self.location,
            service=self.client.service,
            kind=self.kind,
            method=self.method,
            arguments=self.arguments,
            reads=tuple(sorted(self.reads)),
            hidden=hidden,
            inferred=self.client.inferred,
        )


@dataclass(frozen=True, slots=True)
class _Response:
    """A call's result, or a part of it below `path`."""

    call: _CallBuilder
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Pages:
    """What `paginate()` returns: iterating it gives whole responses."""

    call: _CallBuilder


@dataclass(frozen=True, slots=True)
class _Elements:
    """What iterating gives, stated outright (`.values()`, `enumerate(...)`'s second item)."""

    element: object
    paired: bool = False


@dataclass(frozen=True, slots=True)
class _Returns:
    """Another module's function, known by what it returns (a factory of clients)."""

    value: object


@dataclass(frozen=True, slots=True)
class _Literal:
    argument: Argument


@dataclass(slots=True)
class _Class:
    attributes: dict[str, object] = field(default_factory=dict)
    bases: list[_Class] = field(default_factory=list)

    def lookup(self, name: str) -> object:
        if name in self.attributes:
            return self.attributes[name]
        for base in self.bases:
            found = base.lookup(name)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class _Self:
    owner: _Class


@dataclass(frozen=True, slots=True)
class _Function:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: _Scope
    owner: _Class | None

    @property
    def is_property(self) -> bool:
        return any(
            isinstance(decorator, ast.Name) and decorator.id in ("property", "cached_property")
            for decorator in self.node.decorator_list
        )


@dataclass(eq=False, slots=True)
class _Scope:
    names: dict[str, object] = field(default_factory=dict)
    parent: _Scope | None = None
    declared_global: set[str] = field(default_factory=set)
    returns: list[object] = field(default_factory=list)

    def lookup(self, name: str) -> object:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None

    def bind(self, name: str, value: object) -> None:
        target = self
        if name in self.declared_global:
            while target.parent is not None:
                target = target.parent
        target.names[name] = value


_Body = Sequence[ast.stmt]


# What another module of the project offers, by module name: its globals holding clients,
# sessions or resources, and its functions returning one. None where no module has the name.
ProjectExports = Callable[[str], Mapping[str, object] | None]
# Kinds of value another module may hand over: plain data, no ties to that module's tree.
_EXPORTABLE = (_Client, _Session, _Resource, _ClientType)


@dataclass(frozen=True, slots=True)
class FileScan:
    """One file's calls, what it offers other modules, and the modules of the project it
    imports from (absolute names)."""

    calls: tuple[ScannedCall, ...]
    exports: Mapping[str, object]
    imports: frozenset[str]


class _FileScanner:
    """Scans one parsed module: its top level, then every function and method."""

    def __init__(
        self,
        file: str,
        module: str,
        project: ProjectExports | None,
        *,
        is_package: bool,
        lines: list[bytes] | None = None,
    ) -> None:
        self._file = file
        # The source's lines where some are not ASCII: there bytes and characters differ.
        self._lines = lines
        self._module = module
        self._is_package = is_package
        self._project = project
        self._imports: set[str] = set()
        self._calls: list[_CallBuilder] = []
        # Factories are run through without recording, to learn what they return.
        self._recording = True
        self._returns: dict[int, object] = {}
        self._pending: list[_Function] = []
        self._defined: list[_Function] = []
        self._constants: dict[str | None, _Literal] = {}

    def scan(self, module: ast.Module) -> FileScan:
        top = _Scope()
        self._block(module.body, top)
        # Methods first run through once, so that `self.s3` set in one is known in all.
        for function in list(self._pending):
            if function.owner is not None:
                self._function_value(function)
        done: set[int] = set()
        # Functions defined inside those run are added to the end as they are met.
        for function in self._pending:
            if id(function.node) not in done:
                done.add(id(function.node))
                scope = self._run_function(function)
                # What it returns, known now without running it again for the exports.
                self._returns.setdefault(id(function.node), _returned(scope))
        calls = tuple(call.freeze() for call in self._calls)
        scanned = FileScan(calls, self._exports(top), frozenset(self._imports))
        # A function and the scope (or class) it is bound in hold each other, and functions
        # hold their trees: let go of them now, as a collection would (scans of many files
        # run without collections, which would walk each tree again and again meanwhile).
        for function in self._defined:
            function.scope.names.clear()
            if function.owner is not None:
                function.owner.attributes.clear()
        return scanned

    def _exports(self, top: _Scope) -> dict[str, object]:
        found: dict[str, object] = {}
        for name, value in top.names.items():
            if isinstance(value, _Function):
                returned = self._function_value(value)
                if isinstance(returned, _EXPORTABLE):
                    found[name] = _Returns(returned)
            elif isinstance(value, (*_EXPORTABLE, _Returns)):
                found[name] = value
        return found

    # Statements

    def _block(self, body: _Body, scope: _Scope, owner: _Class | None = None) -> None:
        for statement in body:
            self._statement(statement, scope, owner)

    def _statement(self, node: ast.stmt, scope: _Scope, owner: _Class | None) -> None:
        if isinstance(node, ast.Assign):
            value = self._eval(node.value, scope)
            for target in node.targets:
                self._assign(target, value, scope, owner)
        elif isinstance(node, ast.AnnAssign):
            value = self._eval(node.value, scope) if node.value is not None else None
            if value is None:
                value = self._client_of_annotation(node.annotation, scope)
            self._assign(node.target, value, scope, owner)
        elif isinstance(node, ast.AugAssign | ast.Expr | ast.Return):
            value = self._eval(node.value, scope) if node.value is not None else None
            if isinstance(node, ast.Return):
                scope.returns.append(value)
            elif isinstance(node, ast.Expr):
                self._mutate_dict(node.value, scope)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self._assign(node.target, self._element(self._eval(node.iter, scope)), scope, owner)
            self._block(node.body, scope, owner)
            self._block(node.orelse, scope, owner)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                value = self._eval(item.context_expr, scope)
                if item.optional_vars is not None:
                    self._assign(item.optional_vars, value, scope, owner)
            self._block(node.body, scope, owner)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = _Function(node, scope, owner)
            self._defined.append(function)
            scope.bind(node.name, function)
            if owner is not None:
                owner.attributes.setdefault(node.name, function)
            if self._recording:
                self._pending.append(function)
        elif isinstance(node, ast.ClassDef):
            self._class(node, scope)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            self._import(node, scope)
        elif isinstance(node, ast.Global):
            scope.declared_global.update(node.names)
        else:
            self._compound(node, scope, owner)

    def _compound(self, node: ast.stmt, scope: _Scope, owner: _Class | None) -> None:
        """If, while, try, match and the rest: each part in order, every branch taken."""
        for name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for child in value:
                    if isinstance(child, ast.stmt):
                        self._statement(child, scope, owner)
                    elif isinstance(child, ast.ExceptHandler | ast.match_case):
                        self._block(child.body, scope, owner)
                    elif isinstance(child, ast.expr):
                        self._eval(child, scope)
            elif isinstance(value, ast.expr) and name != "annotation":
                self._eval(value, scope)

    def _class(self, node: ast.ClassDef, scope: _Scope) -> None:
        owner = _Class()
        for base in node.bases:
            known = self._eval(base, scope)
            if isinstance(known, _Self):
                owner.bases.append(known.owner)
        scope.bind(node.name, _Self(owner))
        self._block(node.body, _Scope(parent=scope), owner)

    def _import(self, node: ast.Import | ast.ImportFrom, scope: _Scope) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.bind(alias.asname, _Module(alias.name))
                else:
                    top = alias.name.split(".")[0]
                    scope.bind(top, _Module(top))
            return
        module = self._absolute(node)
        if module is None:
            return
        for alias in node.names:
            value = self._module_attribute(_Module(module), alias.name)
            if value is not None:
                scope.bind(alias.asname or alias.name, value)

    def _absolute(self, node: ast.ImportFrom) -> str | None:
        """The module a `from ... import` names, relative ones resolved against this one's
        package; None where it climbs above the top."""
        if not node.level:
            return node.module
        package = self._module.split(".") if self._module else []
        if not self._is_package:
            package = package[:-1]
        if node.level - 1 > len(package):
            return None
        base = package[: len(package) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base) or None

    def _assign(self, target: ast.expr, value: object, scope: _Scope, owner: _Class | None) -> None:
        if isinstance(target, ast.Name):
            scope.bind(target.id, value)
            if owner is not None and scope.parent is not None and value is not None:
                owner.attributes[target.id] = value
        elif isinstance(target, ast.Attribute):
            holder = self._eval(target.value, scope)
            if isinstance(holder, _Self) and value is not None:
                holder.owner.attributes[target.attr] = value
        elif isinstance(target, ast.Tuple | ast.List):
            parts = target.elts
            if isinstance(value, _Elements) and value.paired and len(parts) == 2:
                self._assign(parts[1], value.element, scope, owner)
            else:
                for part in parts:
                    self._assign(part, None, scope, owner)
        elif isinstance(target, ast.Subscript):
            self._eval(target.slice, scope)
            self._add_dict_entry(target, scope)

    # Dict literals grown before they are passed as **kwargs

    def _add_dict_entry(self, target: ast.Subscript, scope: _Scope) -> None:
        if not isinstance(target.value, ast.Name):
            return
        known = scope.lookup(target.value.id)
        if isinstance(known, _Literal) and known.argument.form is ArgumentForm.DICT:
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                scope.bind(target.value.id, _Literal(_with_entries(known.argument, [key.value])))

    def _mutate_dict(self, node: ast.expr, scope: _Scope) -> None:
        """`params.update(Key=...)` adds keys to a dict literal; other updates hide them."""
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "setdefault")
            and isinstance(node.func.value, ast.Name)
        ):
            return
        name = node.func.value.id
        known = scope.lookup(name)
        if not (isinstance(known, _Literal) and known.argument.form is ArgumentForm.DICT):
            return
        keys = [keyword.arg for keyword in node.keywords if keyword.arg]
        if node.func.attr == "setdefault" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.append(first.value)
        elif node.args:
            added = self._argument(node.args[0], scope)
            if added.form is not ArgumentForm.DICT:
                scope.bind(name, None)
                return
            keys.extend(key for key, _ in added.entries)
        scope.bind(name, _Literal(_with_entries(known.argument, keys)))

    # Functions

    def _run_function(self, function: _Function) -> _Scope:
        node = function.node
        scope = _Scope(parent=function.scope)
        for name, value in self._parameters(function).items():
            scope.bind(name, value)
        self._block(node.body, scope)
        return scope

    def _parameters(self, function: _Function) -> dict[str, object]:
        """What each parameter stands for: `self`, a client by its annotation or default."""
        arguments = function.node.args
        ordered = [*arguments.posonlyargs, *arguments.args]
        defaults: list[tuple[ast.arg, ast.expr | None]] = [
            *zip(ordered[::-1], arguments.defaults[::-1], strict=False),
            *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
        ]
        known = {
            parameter.arg: self._eval(default, function.scope) for parameter, default in defaults
        }
        everything = [*ordered, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
        for index, parameter in enumerate(everything):
            if parameter is None:
                continue
            if function.owner is not None and index == 0 and ordered:
                known[parameter.arg] = _Self(function.owner)
            elif parameter.annotation is not None:
                annotated = self._client_of_annotation(parameter.annotation, function.scope)
                known[parameter.arg] = annotated or known.get(parameter.arg)
        return known

    def _function_value(self, function: _Function) -> object:
        """What a function returns, when the scan can tell (its first known return value)."""
        key = id(function.node)
        if key in self._returns:
            return self._returns[key]
        self._returns[key] = None  # A recursive call knows nothing more.
        recording, self._recording = self._recording, False
        try:
            scope = self._run_function(function)
        finally:
            self._recording = recording
        value = _returned(scope)
        self._returns[key] = value
        return value

    def _client_of_annotation(self, annotation: ast.expr, scope: _Scope) -> object:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.BinOp):  # S3Client | None
            return self._client_of_annotation(annotation.left, scope) or self._client_of_annotation(
                annotation.right, scope
            )
        if isinstance(annotation, ast.Subscript):  # Optional[S3Client]
            return self._client_of_annotation(annotation.slice, scope)
        known = self._eval(annotation, scope)
        if isinstance(known, _Factory) and known.makes == "session":
            return _Session()  # def f(session: boto3.Session)
        return _Client(known.service) if isinstance(known, _ClientType) else None

    # Expressions

    def _eval(self, node: ast.expr | None, scope: _Scope) -> object:
        if node is None:
            return None
        # By the node's type in one look-up: expressions are most of what the scan visits.
        evaluate = _EXPRESSIONS.get(type(node), _FileScanner._eval_parts)
        return evaluate(self, node, scope)

    def _eval_name(self, node: ast.Name, scope: _Scope) -> object:
        return scope.lookup(node.id)

    def _eval_attribute(self, node: ast.Attribute, scope: _Scope) -> object:
        return self._attribute(self._eval(node.value, scope), node.attr)

    def _eval_await(self, node: ast.Await, scope: _Scope) -> object:
        return self._eval(node.value, scope)

    def _eval_named(self, node: ast.NamedExpr, scope: _Scope) -> object:
        value = self._eval(node.value, scope)
        scope.bind(node.target.id, value)
        return value

    def _constant(self, node: ast.Constant) -> _Literal:
        # Constants are a third of the expressions the scan evaluates (keys, defaults,
        # messages), and one of each text is enough: the records are never changed.
        text = node.value if isinstance(node.value, str) else None
        found = self._constants.get(text)
        if found is None:
            found = self._constants[text] = _Literal(Argument(ArgumentForm.CONSTANT, text=text))
        return found

    def _eval_constant(self, node: ast.Constant, scope: _Scope) -> object:
        return self._constant(node)

    def _eval_literal(self, node: ast.expr, scope: _Scope) -> object:
        return _Literal(self._argument(node, scope))

    def _eval_bool(self, node: ast.BoolOp, scope: _Scope) -> object:
        values = [self._eval(value, scope) for value in node.values]
        return next((value for value in values if value is not None), None)

    def _eval_if(self, node: ast.IfExp, scope: _Scope) -> object:
        self._eval(node.test, scope)
        body, orelse = self._eval(node.body, scope), self._eval(node.orelse, scope)
        return body if body is not None else orelse

    def _eval_compare(self, node: ast.Compare, scope: _Scope) -> object:
        self._key_tests(node, scope)
        return None

    def _eval_lambda(self, node: ast.Lambda, scope: _Scope) -> object:
        return None

    def _eval_parts(self, node: ast.expr, scope: _Scope) -> object:
        """Any other expression: nothing the scan follows, but calls may be inside."""
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self._eval(child, scope)
        return None

    def _attribute(self, holder: object, name: str) -> object:
        if isinstance(holder, _Module):
            return self._module_attribute(holder, name)
        if holder is None and name in ("client", "create_client"):
            return _Factory("inferred client")
        if isinstance(holder, _Session):
            return _SESSION_FACTORIES.get(name)
        if isinstance(holder, _Client):
            return None if name in _CLIENT_HELPERS else _Method(holder, name)
        if isinstance(holder, _Resource):
            if name == "meta":
                return _ResourceMeta(holder.service)
            return _ResourceMember(holder, (name,))
        if isinstance(holder, _ResourceMember):
            return _ResourceMember(holder.resource, (*holder.names, name))
        if isinstance(holder, _ResourceMeta) and name == "client":
            return _Client(holder.service)
        if isinstance(holder, _Self):
            found = holder.owner.lookup(name)
            if isinstance(found, _Function) and found.is_property:
                return self._function_value(found)
            return found
        return None

    def _module_attribute(self, module: _Module, name: str) -> object:
        root = module.name.split(".")[0]
        for package in _CLIENT_TYPE_PACKAGES:
            if root.startswith(package):
                if name.endswith("Client"):
                    return _ClientType(root.removeprefix(package).replace("_", "-"))
                return _Module(f"{module.name}.{name}")
        if root not in _SDK_MODULES:
            return self._project_attribute(module.name, name)
        if name in ("client", "create_client"):
            return _Factory("client")
        if name == "resource":
            return _Factory("resource")
        if name in ("Session", "get_session", "AioSession"):
            return _Factory("session")
        if name == "DEFAULT_SESSION":
            return _Session()
        return _Module(f"{module.name}.{name}")

    def _project_attribute(self, module: str, name: str) -> object:
        """A name another module of the project offers, or that module's submodule."""
        self._imports.add(module)
        if self._project is None:
            return None
        exports = self._project(module)
        if exports is not None and name in exports:
            return exports[name]
        submodule = f"{module}.{name}"
        return _Module(submodule) if self._project(submodule) is not None else None

    def _subscript(self, node: ast.Subscript, scope: _Scope) -> object:
        holder = self._eval(node.value, scope)
        key = node.slice
        self._eval(key, scope)
        if not isinstance(holder, _Response):
            return None
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return self._read(holder, key.value)
        if isinstance(key, ast.Slice):
            return holder
        # An index, or a variable (a list's index or a map's key: the model tells which).
        return _Response(holder.call, (*holder.path, ITEMS))

    def _read(self, response: _Response, key: str) -> _Response:
        part = _Response(response.call, (*response.path, key))
        response.call.reads.add(part.path)
        return part

    def _key_tests(self, node: ast.Compare, scope: _Scope) -> None:
        """`"NextToken" in resp` reads the key."""
        values = [self._eval(part, scope) for part in (node.left, *node.comparators)]
        left = node.left
        for operator, right in zip(node.ops, values[1:], strict=True):
            if (
                isinstance(operator, ast.In | ast.NotIn)
                and isinstance(right, _Response)
                and isinstance(left, ast.Constant)
                and isinstance(left.value, str)
            ):
                self._read(right, left.value)

    def _element(self, iterable: object) -> object:
        """What a for loop over `iterable` binds its target to."""
        if isinstance(iterable, _Response):
            return _Response(iterable.call, (*iterable.path, ITEMS))
        if isinstance(iterable, _Pages):
            return _Response(iterable.call)
        if isinstance(iterable, _Elements):
            return iterable if iterable.paired else iterable.element
        return None

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, scope: _Scope
    ) -> object:
        inner = _Scope(parent=scope)
        for generator in node.generators:
            element = self._element(self._eval(generator.iter, inner))
            self._assign(generator.target, element, inner, None)
            for condition in generator.ifs:
                self._eval(condition, inner)
        if isinstance(node, ast.DictComp):
            self._eval(node.key, inner)
            self._eval(node.value, inner)
            return None
        item = self._argument(node.elt, inner)
        return _Literal(Argument(ArgumentForm.LIST, items=(item,)))

    def _call(self, node: ast.Call, scope: _Scope) -> object:
        func = node.func
        if isinstance(func, ast.Attribute):
            # The holder is evaluated once: evaluating it again would record its calls twice.
            holder = self._eval(func.value, scope)
            handled, value = self._call_on(holder, func.attr, node, scope)
            if handled:
                return value
            function = self._attribute(holder, func.attr)
        elif isinstance(func, ast.Name) and func.id in ("getattr", "enumerate"):
            return self._builtin(func.id, node, scope)
        else:
            function = self._eval(func, scope)
        if isinstance(function, _Factory):
            return self._make(function, node, scope)
        if isinstance(function, _Method):
            return self._method_call(function, node, scope)
        if isinstance(function, _ResourceMember):
            return self._resource_call(function, node, scope)
        self._evaluate_arguments(node, scope)
        if isinstance(function, _Function):
            return self._function_value(function)
        if isinstance(function, _Self):  # A class instantiated: its instance.
            return function
        if isinstance(function, _Returns):
            return function.value
        return None

    def _call_on(
        self, holder: object, name: str, node: ast.Call, scope: _Scope
    ) -> tuple[bool, object]:
        """Calls on what a client gave back: (whether it is one the scan follows, its value)."""
        if isinstance(holder, _Companion) and name in ("paginate", "wait"):
            return True, self._record(node, scope, holder.client, holder.kind, holder.name)
        if isinstance(holder, _Pages) and name == "build_full_result":
            return True, _Response(holder.call)
        if isinstance(holder, _Pages | _Response) and name == "search" and node.args:
            expression = self._argument(node.args[0], scope).text
            steps = _search_steps(expression) if expression else None
            if steps:
                above = holder.path if isinstance(holder, _Response) else ()
                holder.call.reads.add((*above, *steps))
            return True, None
        if isinstance(holder, _Response) and name == "get" and node.args:
            self._evaluate_arguments(node, scope)
            key = node.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                return True, self._read(holder, key.value)
            return True, None
        if isinstance(holder, _Response) and name in ("values", "items"):
            values = _Response(holder.call, (*holder.path, VALUES))
            return True, _Elements(values, paired=name == "items")
        if name in ("enter_context", "enter_async_context") and len(node.args) == 1:
            return True, self._eval(node.args[0], scope)
        return False, None

    def _builtin(self, name: str, node: ast.Call, scope: _Scope) -> object:
        values = [self._eval(argument, scope) for argument in node.args]
        if name == "enumerate" and values:
            return _Elements(self._element(values[0]), paired=True)
        if name == "getattr" and len(values) >= 2 and isinstance(values[0], _Client):
            chosen = node.args[1]
            if isinstance(chosen, ast.Constant) and isinstance(chosen.value, str):
                return self._attribute(values[0], chosen.value)
            return _Method(values[0], None)
        return None

    def _make(self, factory: _Factory, node: ast.Call, scope: _Scope) -> object:
        arguments = self._evaluate_arguments(node, scope)
        if factory.makes == "session":
            return _Session()
        named = arguments.get("service_name") or (arguments.get(0) if 0 in arguments else None)
        service = named.text if named is not None else None
        if factory.makes == "resource":
            return _Resource(service)
        if factory.makes == "inferred client":
            return _Client(service, inferred=True) if service is not None else None
        return _Client(service)

    def _resource_call(self, member: _ResourceMember, node: ast.Call, scope: _Scope) -> object:
        """A sub-resource taken, or an action or collection called: recorded by its names
        (`Bucket.objects.filter`), which boto3's resource models map onto operations."""
        resource = member.resource
        if len(member.names) == 1 and member.names[0][:1].isupper():
            self._evaluate_arguments(node, scope)
            return _Resource(resource.service, (*resource.hops, member.names[0]))
        name = ".".join((*resource.hops, *member.names))
        return self._record(node, scope, _Client(resource.service), CallKind.RESOURCE, name)

    def _method_call(self, method: _Method, node: ast.Call, scope: _Scope) -> object:
        if method.name in ("get_paginator", "get_waiter"):
            # The name as a literal, or a name bound to one.
            name = self._evaluate_arguments(node, scope).get(0, OPAQUE).text
            kind = CallKind.PAGINATE if method.name == "get_paginator" else CallKind.WAIT
            return _Companion(method.client, kind, name)
        return self._record(node, scope, method.client, CallKind.CALL, method.name)

    def _record(
        self, node: ast.Call, scope: _Scope, client: _Client, kind: CallKind, name: str | None
    ) -> object:
        passed: dict[str, Argument] = {}
        hidden: str | None = None
        for keyword in node.keywords:
            argument = self._argument(keyword.value, scope)
            if keyword.arg is not None:
                passed[keyword.arg] = argument
            elif argument.form is ArgumentForm.DICT:
                passed.update(argument.entries)
            else:
                hidden = f"**{ast.unparse(keyword.value)} is not visible here"
        for positional in node.args:
            self._eval(positional, scope)
            if isinstance(positional, ast.Starred):
                hidden = hidden or f"{ast.unparse(positional)} is not visible here"
        if name is None:
            hidden = (
                "method chosen at run time"
                if kind is CallKind.CALL
                else f"{kind.value} name not visible"
            )
        call = self._record_at(node, client, kind, name, tuple(sorted(passed.items())), hidden)
        if kind is CallKind.PAGINATE:
            return _Pages(call)
        return None if kind is CallKind.WAIT else _Response(call)

    def _record_at(
        self,
        node: ast.expr,
        client: _Client,
        kind: CallKind,
        name: str | None,
        arguments: tuple[tuple[str, Argument], ...],
        hidden: str | None,
    ) -> _CallBuilder:
        location = Location(self._file, node.lineno, self._column(node))
        call = _CallBuilder(location, client, kind, name, arguments, hidden)
        if self._recording:
            self._calls.append(call)
        return call

    def _column(self, node: ast.expr) -> int:
        """The node's column from 1, in characters, as editors count (ast counts UTF-8
        bytes from 0)."""
        if self._lines is None:
            return node.col_offset + 1
        line = self._lines[node.lineno - 1] if node.lineno <= len(self._lines) else b""
        return len(line[: node.col_offset].decode("utf-8", errors="replace")) + 1

    def _evaluate_arguments(self, node: ast.Call, scope: _Scope) -> dict[str | int, Argument]:
        found: dict[str | int, Argument] = {}
        for index, positional in enumerate(node.args):
            found[index] = self._argument(positional, scope)
        for keyword in node.keywords:
            argument = self._argument(keyword.value, scope)
            if keyword.arg is not None:
                found[keyword.arg] = argument
        return found

    def _argument(self, node: ast.expr, scope: _Scope) -> Argument:
        """What a value passed to a call shows: literals all the way down, names bound to
        literals, anything else opaque (evaluated all the same, for the calls inside)."""
        if isinstance(node, ast.Constant):
            return self._constant(node).argument
        if isinstance(node, ast.Dict):
            entries: dict[str, Argument] = {}
            for key, item in zip(node.keys, node.values, strict=True):
                argument = self._argument(item, scope)
                if key is None:
                    if argument.form is ArgumentForm.DICT:
                        entries.update(argument.entries)
                    continue
                self._eval(key, scope)
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    entries[key.value] = argument
            return Argument(ArgumentForm.DICT, entries=tuple(entries.items()))
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = tuple(self._argument(item, scope) for item in node.elts)
            return Argument(ArgumentForm.LIST, items=items)
        known = self._eval(node, scope)
        return known.argument if isinstance(known, _Literal) else OPAQUE


# How each kind of expression is evaluated; kinds not named here by `_eval_parts`.
_EXPRESSIONS: dict[type[ast.expr], Callable[[_FileScanner, Any, _Scope], object]] = {
    ast.Name: _FileScanner._eval_name,
    ast.Call: _FileScanner._call,
    ast.Attribute: _FileScanner._eval_attribute,
    ast.Subscript: _FileScanner._subscript,
    ast.Await: _FileScanner._eval_await,
    ast.NamedExpr: _FileScanner._eval_named,
    **dict.fromkeys((ast.Dict, ast.List, ast.Tuple, ast.Set), _FileScanner._eval_literal),
    ast.Constant: _FileScanner._eval_constant,
    **dict.fromkeys(
        (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp), _FileScanner._comprehension
    ),
    ast.BoolOp: _FileScanner._eval_bool,
    ast.IfExp: _FileScanner._eval_if,
    ast.Compare: _FileScanner._eval_compare,
    ast.Lambda: _FileScanner._eval_lambda,
}


# The JMESPath expressions that are plain paths: names, `[]`, `[*]` or an index, dotted.
_PLAIN_SEARCH = re.compile(r"[A-Za-z_]\w*(?:\[\*?\]|\[-?\d+\]|\.[A-Za-z_]\w*)*")
_SEARCH_STEP = re.compile(r"\[[^\]]*\]|[A-Za-z_]\w*")


def _search_steps(expression: str) -> tuple[str, ...] | None:
    """`Contents[].Key` as read steps; None for JMESPath beyond plain paths (filters,
    projections of several keys, functions)."""
    if not _PLAIN_SEARCH.fullmatch(expression):
        return None
    return tuple(
        ITEMS if step.startswith("[") else step for step in _SEARCH_STEP.findall(expression)
    )


def _returned(scope: _Scope) -> object:
    """A function's first known return value; not a response, whose reads elsewhere are
    not its call's to record."""
    value = next((found for found in scope.returns if found is not None), None)
    return None if isinstance(value, _Response | _Pages) else value


def _with_entries(argument: Argument, keys: Iterable[str]) -> Argument:
    entries = dict(argument.entries)
    for key in keys:
        entries.setdefault(key, OPAQUE)
    return Argument(ArgumentForm.DICT, entries=tuple(entries.items()))


def scan_source(
    source: bytes | str,
    file: str,
    module: str = "",
    project: ProjectExports | None = None,
) -> FileScan:
    """The calls in one module's source; SyntaxError (and ValueError for a null byte) where
    it does not parse. `module` is its dotted name in the project, `project` what the
    project's other modules offer."""
    encoded = source.encode("utf-8") if isinstance(source, str) else source
    # ast's columns count UTF-8 bytes; a file declaring another encoding is left at that.
    lines = None if encoded.isascii() or not _utf8(encoded) else encoded.splitlines()
    scanner = _FileScanner(
        file, module, project, is_package=file.endswith("__init__.py"), lines=lines
    )
    return scanner.scan(ast.parse(source, filename=file))


def _utf8(source: bytes) -> bool:
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
