"""What a canned response's body may say, checked when it is saved; and filling it in.

A body is text with placeholders (``{{ customer.name }}``), a few string filters
(``{{ customer.name | default("there") }}``) and ``{% if %}`` blocks: nothing else of
Jinja (no loops, calls, includes, arithmetic, other attributes). The check walks the
template's syntax tree, so a placeholder in a branch a sample render would not take is
checked too, and whatever passes renders without error. It is filled in a sandbox
(``SandboxedEnvironment``, no globals) from a context of plain strings: the second wall,
should the first ever let something through.
"""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from supportdesk.core.errors import InvalidInput

#: every placeholder, as ``{{ <object>.<field> }}``
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "customer": ("name", "email", "phone"),
    "ticket": ("ref", "subject", "status"),
    "agent": ("name", "email"),
}
#: filters that take a string and give one back, none with an argument but ``default``
FILTERS = frozenset({"default", "upper", "lower", "title", "capitalize", "trim"})
#: every placeholder as an admin writes it, for messages and the documentation
ALL_PLACEHOLDERS = ", ".join(
    f"{{{{ {obj}.{field} }}}}" for obj, fields in PLACEHOLDERS.items() for field in fields
)

Context = Mapping[str, Mapping[str, str]]

# Text is text: a reply is not HTML, so "&" stays "&" (whoever shows it escapes it).
_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_env.globals.clear()  # no range(), lipsum(), cycler(): the context is all a body reads

#: the nodes of what a body may say; any other is refused by name
_ALLOWED = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.If, nodes.CondExpr,
    nodes.Not, nodes.And, nodes.Or, nodes.Compare, nodes.Operand, nodes.Filter,
    nodes.Getattr, nodes.Name,
)  # fmt: skip
#: comparisons any two strings can make
_COMPARISONS = frozenset({"eq", "ne"})
#: how deep a body's syntax tree may go: real ones stay under 15 (an ``{% elif %}`` is a
#: sibling, not a level), and rendering recurses once per level too
MAX_DEPTH = 50
_TOO_DEEP = "Nested too deeply."


class _Refused(Exception):
    """What is wrong with a body, in words for the admin who wrote it."""


def check(body: str, field: str = "body") -> None:
    """Refuse (422, naming ``field``) a body that is not valid Jinja or says more than
    placeholders, ``FILTERS`` and ``{% if %}``."""
    try:
        _check_tree(_env.parse(body))
    except TemplateSyntaxError as error:
        raise InvalidInput.field(field, f"Line {error.lineno}: {error.message}") from None
    except RecursionError:  # the parser recurses once per level: thousands of "(" or "not"
        raise InvalidInput.field(field, _TOO_DEEP) from None
    except _Refused as refused:
        raise InvalidInput.field(field, str(refused)) from None


def _check_tree(tree: nodes.Template) -> None:
    """Every node, level by level (no recursion: the depth is what is being checked)."""
    placeholders: set[int] = set()  # the Name nodes that are a placeholder's object
    names: list[nodes.Name] = []
    stack: list[tuple[nodes.Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _Refused(_TOO_DEEP)
        _check_node(node)
        if isinstance(node, nodes.Getattr):
            placeholders.add(id(node.node))
        elif isinstance(node, nodes.Name):
            names.append(node)
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    for name in names:
        if id(name) not in placeholders:
            raise _unknown(name.name)


def _check_node(node: nodes.Node) -> None:
    if not isinstance(node, _ALLOWED):
        raise _Refused(
            f"{type(node).__name__} is not allowed: a canned response holds text, "
            "placeholders, filters and {% if %} blocks."
        )
    if isinstance(node, nodes.Getattr):
        obj = node.node.name if isinstance(node.node, nodes.Name) else None
        if obj not in PLACEHOLDERS or node.attr not in PLACEHOLDERS[obj]:
            raise _unknown(_dotted(node))
    elif isinstance(node, nodes.Filter):
        most = 1 if node.name == "default" else 0
        if node.name not in FILTERS or node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise _Refused(f"The filter {node.name} is not allowed ({', '.join(sorted(FILTERS))}).")
        if len(node.args) > most:
            takes = "at most one argument" if most else "no argument"
            raise _Refused(f"The filter {node.name} takes {takes}.")
    elif isinstance(node, nodes.Operand) and node.op not in _COMPARISONS:
        raise _Refused("Compare with == and != only.")
    elif isinstance(node, nodes.CondExpr) and node.expr2 is None:
        raise _Refused("An inline if needs its else.")


def _unknown(expression: str) -> _Refused:
    return _Refused(f"Unknown placeholder {{{{ {expression} }}}}. Use {ALL_PLACEHOLDERS}.")


def _dotted(node: nodes.Node) -> str:
    """``customer.name.__class__`` as written, for the message; other parts as "..."."""
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return node.name if isinstance(node, nodes.Name) else "..."


def fill(body: str, context: Context) -> str:
    """``body`` (checked when it was saved) with the placeholders filled in."""
    return _env.from_string(body).render(context)
