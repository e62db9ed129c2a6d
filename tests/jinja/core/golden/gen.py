#!/usr/bin/env python3
"""Regenerate the golden outputs: render every cases/*.jinja with Jinja2 3.1
configured as dbt configures it (dbt_common.clients.jinja.get_environment):
a SandboxedEnvironment with the `do` and `loopcontrols` extensions, dbt's
materialization/test/docs tags lowered to macros, default Undefined, no
autoescape, default whitespace options (no trim_blocks/lstrip_blocks,
keep_trailing_newline=False). Writes cases/<name>.out next to each case,
and snippets/<name>.json for the one-template-per-line snippet files, and
native/<name>.json for dbt's native rendering (YAML values) of native/<name>.txt.

Usage: python3 tests/jinja/core/golden/gen.py
"""
import ast
import json
import pathlib

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.nativetypes import NativeCodeGenerator, NativeTemplate
from jinja2.sandbox import SandboxedEnvironment

HERE = pathlib.Path(__file__).parent


class MaterializationTag(jinja2.ext.Extension):
    tags = {"materialization"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        mat = parser.parse_assign_target(name_only=True).name
        adapter = "default"
        langs = jinja2.nodes.List([jinja2.nodes.Const("sql")])
        while parser.stream.skip_if("comma"):
            key = parser.parse_assign_target(name_only=True).name
            if key == "default":
                continue
            parser.stream.expect("assign")
            value = parser.parse_expression()
            if key == "adapter":
                adapter = value.value
            elif key == "supported_languages":
                langs = value
        node = jinja2.nodes.Macro(lineno=lineno)
        node.name = "materialization_%s_%s" % (mat, adapter)
        node.args = [jinja2.nodes.Name("supported_languages", "param")]
        node.defaults = [langs]
        node.body = parser.parse_statements(("name:endmaterialization",), drop_needle=True)
        return node


class TestTag(jinja2.ext.Extension):
    tags = {"test"}

    def parse(self, parser):
        node = jinja2.nodes.Macro(lineno=next(parser.stream).lineno)
        name = parser.parse_assign_target(name_only=True).name
        parser.parse_signature(node)
        node.name = "test_" + name
        node.body = parser.parse_statements(("name:endtest",), drop_needle=True)
        return node


class DocsTag(jinja2.ext.Extension):
    tags = {"docs"}

    def parse(self, parser):
        node = jinja2.nodes.Macro(lineno=next(parser.stream).lineno)
        name = parser.parse_assign_target(name_only=True).name
        node.args = []
        node.defaults = []
        node.name = "__docs_" + name
        node.body = parser.parse_statements(("name:enddocs",), drop_needle=True)
        return node


class NativeText(str):
    """Text marked with as_text: stays text."""


class NativeLiteral(str):
    """Text marked with as_native/as_bool/as_number: parsed as a Python literal."""

    kind = "native"


def _marker(kind):
    def mark(value):
        m = NativeLiteral(value)
        m.kind = kind
        return m

    return mark


def native_result(nodes):
    """dbt's native rendering rule: one node keeps its value, several join as text."""
    nodes = list(nodes)
    if not nodes:
        return ""
    if len(nodes) > 1:
        return "".join(str(v) for v in nodes)
    raw = nodes[0]
    if isinstance(raw, NativeText):
        return str(raw)
    if not isinstance(raw, NativeLiteral):
        return raw
    try:
        result = ast.literal_eval(raw)
    except (ValueError, SyntaxError, MemoryError):
        result = str(raw)
    if raw.kind == "bool" and not isinstance(result, bool):
        raise ValueError("not a bool")
    if raw.kind == "number" and (isinstance(result, bool) or not isinstance(result, (int, float))):
        raise ValueError("not a number")
    return result


class NativeEnv(SandboxedEnvironment):
    code_generator_class = NativeCodeGenerator


class NativeTpl(NativeTemplate):
    environment_class = NativeEnv

    def render(self, *args, **kwargs):
        return native_result(self.root_render_func(self.new_context(dict(*args, **kwargs))))


NativeEnv.template_class = NativeTpl


def main():
    env = SandboxedEnvironment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols", MaterializationTag, TestTag, DocsTag])
    context = json.loads((HERE / "context.json").read_text())
    for case in sorted((HERE / "cases").glob("*.jinja")):
        source = case.read_text()
        out = env.from_string(source).render(**context)
        case.with_suffix(".out").write_text(out)
        print("wrote", case.with_suffix(".out").name)
    # Snippet files: one template per line; the expected output (or the
    # exception type for templates Jinja2 rejects) goes to <name>.json.
    for snippets in sorted((HERE / "snippets").glob("*.txt")):
        results = []
        for line in snippets.read_text().splitlines():
            if not line:
                continue
            try:
                results.append({"template": line, "output": env.from_string(line).render(**context)})
            except Exception as exc:  # noqa: BLE001 - record which templates fail
                results.append({"template": line, "error": type(exc).__name__})
        snippets.with_suffix(".json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        print("wrote", snippets.with_suffix(".json").name)
    # Native rendering (dbt renders YAML values this way): the repr of each result.
    native = NativeEnv(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    native.filters.update({"as_text": NativeText, "as_native": _marker("native"), "as_bool": _marker("bool"), "as_number": _marker("number")})
    for snippets in sorted((HERE / "native").glob("*.txt")):
        results = []
        for line in snippets.read_text().splitlines():
            if not line:
                continue
            try:
                results.append({"template": line, "repr": repr(native.from_string(line).render(**context))})
            except Exception as exc:  # noqa: BLE001 - record which templates fail
                results.append({"template": line, "error": type(exc).__name__})
        snippets.with_suffix(".json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        print("wrote", snippets.with_suffix(".json").name)


if __name__ == "__main__":
    main()
