"""A fast yes/no check compiled from a JSON Schema, for the subset of keywords our schemas use.

On the 3,300-shape SageMaker model jsonschema takes 0.6 s and fastjsonschema 43 ms (plus
30 ms to compile): its `if`/`then` raises and catches an exception for every shape a condition
does not match. Compiled here into plain closures, the check takes 8 ms. It only answers
"valid or not"; where and why is jsonschema's job, asked only once the answer is no.
"""

from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]


def compile_schema_predicate(schema: dict[str, Any]) -> Predicate:
    """Compile the JSON Schema subset our schemas use into a fast valid-or-not predicate.

    Supported: type, required, properties, additionalProperties, items, enum and const (of
    strings), minLength, allOf, if/then/else and local $ref. Any other keyword raises ValueError
    here, so a schema edit that needs more fails loudly in the tests instead of being silently
    ignored. The predicate says nothing about *why*: that is jsonschema's job.
    """
    return _PredicateCompiler(schema).compile(schema)


_JSON_TYPES: dict[str, Predicate] = {
    "object": lambda value: type(value) is dict,
    "array": lambda value: type(value) is list,
    "string": lambda value: type(value) is str,
    "boolean": lambda value: type(value) is bool,
    # json.loads makes exactly these types, so `type(...) is` also keeps booleans out of numbers.
    "integer": lambda value: type(value) is int or (type(value) is float and value.is_integer()),
    "number": lambda value: type(value) is int or type(value) is float,
    "null": lambda value: value is None,
}

# The JSON types that json.loads maps to exactly one Python type.
_PLAIN_TYPES: dict[str, type] = {"object": dict, "array": list, "string": str, "boolean": bool}

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"}
)
_OBJECT_KEYWORDS = frozenset({"required", "properties", "additionalProperties"})
_KEYWORDS = _OBJECT_KEYWORDS | {
    "type",
    "items",
    "enum",
    "const",
    "minLength",
    "allOf",
    "if",
    "then",
    "else",
    "$ref",
}


class _PredicateCompiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self._root = root
        self._refs: dict[str, Predicate] = {}

    def compile(self, node: Any) -> Predicate:
        if node is True:
            return _accept
        if node is False:
            return _reject
        unsupported = node.keys() - _ANNOTATIONS - _KEYWORDS
        if unsupported:
            raise ValueError(f"schema keyword not supported: {', '.join(sorted(unsupported))}")
        checks: list[Predicate] = []
        is_object = node.get("type") == "object"
        if node.keys() & _OBJECT_KEYWORDS:
            # One closure tests both "is an object" and its properties: shapes are many.
            checks.append(self._object(node, must_be_object=is_object))
        elif "type" in node:
            names = [node["type"]] if isinstance(node["type"], str) else node["type"]
            checks.append(_any_of([_JSON_TYPES[name] for name in names]))
        if "items" in node:
            checks.append(_each_item(self.compile(node["items"])))
        if "enum" in node:
            checks.append(_one_of_strings(node["enum"]))
        if "const" in node:
            checks.append(_one_of_strings([node["const"]]))
        if "minLength" in node:
            checks.append(_min_length(node["minLength"]))
        if "allOf" in node:
            checks.append(_all_of([self.compile(sub) for sub in node["allOf"]]))
        if "if" in node:
            checks.append(self._if(node))
        if "$ref" in node:
            checks.append(self._ref(node["$ref"]))
        return _all_of(checks)

    def _object(self, node: dict[str, Any], must_be_object: bool) -> Predicate:
        if "type" in node and not must_be_object:
            raise ValueError("schema object keywords supported with type 'object' or no type")
        required = tuple(node.get("required", ()))
        subschemas: dict[str, Any] = node.get("properties", {})
        properties = {key: self.compile(sub) for key, sub in subschemas.items()}
        # Properties that only fix a JSON type are tested inline: a call each would cost more.
        plain_types = {
            key: _PLAIN_TYPES[sub["type"]]
            for key, sub in subschemas.items()
            if isinstance(sub, dict)
            and sub.keys() - _ANNOTATIONS == {"type"}
            and isinstance(sub["type"], str)
            and sub["type"] in _PLAIN_TYPES
        }
        extra = self.compile(node.get("additionalProperties", True))
        others = None if extra is _accept else extra
        few_properties = tuple(properties.items())

        def check(value: Any) -> bool:
            if type(value) is not dict:
                return not must_be_object
            for key in required:
                if key not in value:
                    return False
            if others is None and len(few_properties) < len(value):
                for key, property_check in few_properties:
                    if key in value and not property_check(value[key]):
                        return False
                return True
            # Walk the document's keys, not the schema's: a member has 2-3 keys, the schema 25.
            for key, item in value.items():
                expected = plain_types.get(key)
                if expected is not None:
                    if type(item) is not expected:
                        return False
                    continue
                sub = properties.get(key, others)
                if sub is not None and not sub(item):
                    return False
            return True

        return check

    def _if(self, node: dict[str, Any]) -> Predicate:
        condition = self.compile(node["if"])
        then = self.compile(node.get("then", True))
        otherwise = self.compile(node.get("else", True))
        return lambda value: then(value) if condition(value) else otherwise(value)

    def _ref(self, pointer: str) -> Predicate:
        if pointer not in self._refs:
            self._refs[pointer] = self.compile(self._resolve(pointer))
        return self._refs[pointer]

    def _resolve(self, pointer: str) -> Any:
        if not pointer.startswith("#/"):
            raise ValueError(f"schema $ref must be local: {pointer}")
        target: Any = self._root
        for part in pointer[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target


def _accept(value: Any) -> bool:
    return True


def _reject(value: Any) -> bool:
    return False


def _each_item(sub: Predicate) -> Predicate:
    def check(value: Any) -> bool:
        if type(value) is not list:
            return True
        for item in value:  # noqa: SIM110 - no generator per call on this hot path
            if not sub(item):
                return False
        return True

    return check


def _one_of_strings(values: list[Any]) -> Predicate:
    # Strings only, so that JSON equality (1 == 1.0, but true != 1) never needs emulating.
    if not all(isinstance(value, str) for value in values):
        raise ValueError("schema enum/const supported for strings only")
    allowed = frozenset(values)
    return lambda value: type(value) is str and value in allowed


def _min_length(least: int) -> Predicate:
    # JSON Schema counts code points, as len() does.
    return lambda value: type(value) is not str or len(value) >= least


def _all_of(checks: list[Predicate]) -> Predicate:
    if not checks:
        return _accept
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    frozen = tuple(checks)

    def check(value: Any) -> bool:
        for each in frozen:  # noqa: SIM110 - no generator per call on this hot path
            if not each(value):
                return False
        return True

    return check


def _any_of(checks: list[Predicate]) -> Predicate:
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)
    return lambda value: any(each(value) for each in frozen)
