"""Print a query plan in the text format of Apollo's query planners."""

from __future__ import annotations

from .plan import Batch, Condition, Fetch, Flatten, Parallel, PlanNode, QueryPlan, Sequence

__all__ = ["format_path", "print_plan"]


def format_path(path: tuple[str, ...]) -> str:
    """``("products", "@", "|[Book]", "author")`` → ``products.@|[Book].author``."""
    text = ""
    for element in path:
        if element.startswith("|"):
            text += element
        else:
            text += ("." if text else "") + element
    return text


def print_plan(plan: QueryPlan) -> str:
    """Return the plan as Apollo prints it (``QueryPlan { ... }``)."""
    if plan.node is None:
        return "QueryPlan {\n}"
    lines = ["QueryPlan {"]
    _node(plan.node, 1, lines)
    lines.append("}")
    return "\n".join(lines)


def _indent(text: str, depth: int) -> list[str]:
    pad = "  " * depth
    return [pad + line if line else line for line in text.split("\n")]


def _node(node: PlanNode, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    if isinstance(node, Fetch):
        lines.append(f'{pad}Fetch(service: "{node.service}") {{')
        if node.requires_text is not None:
            lines.extend(_indent(node.requires_text + " =>", depth + 1))
        head = f"({node.variables_text}) " if node.variables_text else ""
        if node.requires_text is None and node.variables_text:
            head = f"query ({node.variables_text}) "
        if node.operation_kind == "mutation":
            head = "mutation " + (f"({node.variables_text}) " if node.variables_text else "")
        lines.extend(_indent(head + node.selection_text, depth + 1))
        lines.append(f"{pad}}},")
    elif isinstance(node, Flatten):
        lines.append(f'{pad}Flatten(path: "{format_path(node.path)}") {{')
        _node(node.node, depth + 1, lines)
        lines.append(f"{pad}}},")
    elif isinstance(node, Batch):
        # not in Apollo's format, which has no fetch carrying several: its parts as usual
        lines.append(f'{pad}Batch(service: "{node.service}") {{')
        for part in node.parts:
            _node(part, depth + 1, lines)
        lines.append(f"{pad}}},")
    elif isinstance(node, Sequence | Parallel):
        lines.append(f"{pad}{type(node).__name__} {{")
        for child in node.nodes:
            _node(child, depth + 1, lines)
        lines.append(f"{pad}}},")
    elif isinstance(node, Condition):
        if node.else_clause is None and node.if_clause is not None:
            lines.append(f"{pad}Include(if: ${node.variable}) {{")
            _node(node.if_clause, depth + 1, lines)
        elif node.if_clause is None and node.else_clause is not None:
            lines.append(f"{pad}Skip(if: ${node.variable}) {{")
            _node(node.else_clause, depth + 1, lines)
        else:
            lines.append(f"{pad}Condition(if: ${node.variable}) {{")
            for label, clause in (("Then", node.if_clause), ("Else", node.else_clause)):
                lines.append(f"{pad}  {label} {{")
                if clause is not None:
                    _node(clause, depth + 2, lines)
                lines.append(f"{pad}  }},")
        lines.append(f"{pad}}},")
