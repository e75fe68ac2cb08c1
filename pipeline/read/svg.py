"""SVG pictures: checked against an allow-list, and published as the pipeline rewrote them.

An SVG file is a program as much as a picture: opened on its own (a link `[Enlarge](chart.svg)`,
the web page's copy, an e-reader) it can run script, load other files and change itself. So it is
parsed (any XML encoding), every element and attribute is judged against the lists below, every
piece of CSS is parsed by tinycss2 (so `\\75 rl(` is judged as the `url(` it spells), and what
passed is written out again, deterministically: the outputs publish that copy, never the author's
bytes, so nothing the check did not see can reach a reader.

- Kept: what draws a still picture (pipeline/read/svg_policy.py), with references only to parts of
  the picture itself (`#id`, in `href` and in CSS `url()`).
- Dropped: comments, the doctype, `<metadata>`, and every element and attribute in a namespace no
  renderer draws (Inkscape's and Sodipodi's, RDF, Illustrator's): editor data, never rendered, so
  files saved by Inkscape or Illustrator build without being cleaned by hand.
- Refused, with a message: script and event attributes (`onload`), `<foreignObject>`, animation
  (`<set>` can rewrite a link after the check), external references, entity declarations and
  processing instructions (`<?xml-stylesheet?>`), CSS at-rules that load (`@import`,
  `@font-face`), an unknown element or attribute in the SVG, XLink or XML namespaces.
- Bounded: how many elements drawing the picture takes once every `<use>` (and every other
  reference, from an attribute or a `<style>` rule) is expanded, and how deep they nest. WeasyPrint swallows every exception while it draws an SVG,
  so a `<use>` bomb must be stopped here, before it gets there.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from xml.parsers import expat

import cssselect2
import tinycss2

from . import limits
from .resources import Refused
from .svg_policy import SVG, XLINK, XML, ACTIVE_NAMESPACES, ELEMENTS, REFUSED, DROPPED, ATTRIBUTES, XLINK_ATTRIBUTES, XML_ATTRIBUTES, AT_RULES, URL_FUNCTIONS, IMAGE_FUNCTIONS, REFUSED_FUNCTIONS, MARKER_PROPERTIES, DRAWN_WHERE_USED

HINT = "Save the SVG with everything embedded as shapes (no linked pictures, fonts, stylesheets or scripts)."
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def clean(data: bytes, name: str) -> bytes:
    """The picture as the outputs publish it: what passed the check, written out again."""
    reader = _Reader(name)
    root = reader.read(data)
    _apply_rules(root, reader.rules, reader.references)
    _Cost(name, root, reader.references).check()
    return serialise(root)


class _Reader:
    """Builds the kept elements as an ElementTree while expat parses, refusing as it goes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.root: ElementTree.Element | None = None
        self.open: list[ElementTree.Element] = []
        self.dropping = 0
        """How deep inside a dropped element the parser is (0: not in one)."""
        self.references: dict[ElementTree.Element, list[tuple[str, bool]]] = {}
        """Each element's references to parts of the picture: (id, whether it is a marker)."""
        self.rules: list[tuple[list, list[tuple[str, bool]]]] = []
        """The <style> rules that refer to parts of the picture: (selector, references)."""

    def refuse(self, what: str, hint: str = HINT) -> None:
        raise Refused(f"the SVG picture '{self.name}' {what}", hint)

    def read(self, data: bytes) -> ElementTree.Element:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.ordered_attributes = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = lambda *_: self.refuse("declares XML entities")
        parser.SkippedEntityHandler = lambda entity, *_: self.refuse(
            f"uses the entity '&{entity};', defined only in a document type the pipeline never loads",
            "Write the character itself (the file is UTF-8) instead of the entity.",
        )
        try:
            parser.Parse(data, True)
        except expat.ExpatError as error:
            self.refuse(f"is not well-formed XML: {error}")
        except ValueError as error:  # pyexpat reads only one-byte encodings besides UTF-8 and UTF-16
            self.refuse(f"cannot be read: {error}", "Save it as UTF-8.")
        if self.root is None:
            self.refuse("is empty")
        return self.root

    def doctype(self, name, system_id, public_id, has_internal_subset) -> None:
        # A plain <!DOCTYPE svg PUBLIC ...> is harmless (expat never loads it); a subset in
        # brackets declares entities or default attributes, which could add anything.
        if has_internal_subset:
            self.refuse("declares XML entities or attributes in its <!DOCTYPE>")

    def instruction(self, target: str, _data: str) -> None:
        if not self.dropping:  # Illustrator's XMP packet (<?xpacket?>) sits inside <metadata>
            what = "links a stylesheet" if target.lower() == "xml-stylesheet" else f"has a processing instruction <?{target}?>"
            self.refuse(what)

    def start(self, tag: str, attributes: list[str]) -> None:
        namespace, local = _split(tag)
        if self.dropping or (self.root is not None and self._dropped(namespace, local)):
            self.dropping += 1
            return
        if self.root is None and (namespace, local) != (SVG, "svg"):
            shown = f"<{local}>" if namespace == SVG or namespace is None else f"<{local}> (in {namespace})"
            hint = 'Add xmlns="http://www.w3.org/2000/svg" to its <svg> element.' if local == "svg" else HINT
            self.refuse(f"is not an SVG picture: its outermost element is {shown}, not an SVG <svg>", hint)
        if namespace != SVG:
            self.refuse(f"contains a <{local}> element from {namespace}, which a handout's pictures may not use")
        if local not in ELEMENTS:
            hint = HINT
            if local == "foreignObject":
                hint = "Save it again as plain SVG (Illustrator: untick 'Preserve Illustrator Editing Capabilities')."
            reason = REFUSED.get(local)
            self.refuse(f"contains a <{local}> element" + (f": {reason}" if reason else
                        ", which a handout's pictures may not use"), hint)
        if len(self.open) >= limits.MAX_SVG_DEPTH:
            self.refuse(f"nests elements more than {limits.MAX_SVG_DEPTH} deep", "Ungroup some of its groups.")
        element = ElementTree.Element(f"{{{SVG}}}{local}")
        self.references[element] = []
        for key, value in zip(attributes[::2], attributes[1::2]):
            self.attribute(element, local, key, value)
        if self.open:
            self.open[-1].append(element)
        else:
            self.root = element
        self.open.append(element)

    def _dropped(self, namespace: str | None, local: str) -> bool:
        return namespace not in ACTIVE_NAMESPACES or (namespace == SVG and local in DROPPED)

    def attribute(self, element: ElementTree.Element, tag: str, key: str, value: str) -> None:
        namespace, local = _split(key)
        if namespace is None:
            if local.lower().startswith("on"):
                self.refuse(f"has an '{local}' attribute, which runs script when the picture is opened",
                            "Delete the attribute: a picture in a handout cannot run anything.")
            if local not in ATTRIBUTES and not local.startswith(("aria-", "data-")):
                self.refuse(f"has an attribute '{local}' on <{tag}>, which a handout's pictures may not use",
                            "Delete the attribute, or save the picture again as plain SVG.")
            name = local
        elif namespace == XLINK and local in XLINK_ATTRIBUTES:
            name = f"{{{XLINK}}}{local}"
        elif namespace == XML and local in XML_ATTRIBUTES:
            name = f"{{{XML}}}{local}"
        elif namespace in ACTIVE_NAMESPACES:
            self.refuse(f"has an attribute '{local}' from {namespace} on <{tag}>, which a handout's pictures may not use",
                        "Delete the attribute, or save the picture again as plain SVG.")
        else:
            return  # an editor's own data (inkscape:label, sodipodi:nodetypes): never drawn
        if local == "href":
            target = self.fragment(value)
            if tag != "a":  # a link is followed by a reader, not drawn
                self.references[element].append((target, False))
        elif local == "style":
            value = self.css(tinycss2.parse_blocks_contents(value, skip_comments=True), self.references[element])
        elif "(" in value:  # CSS references all have a '(': url(...), even written \75 rl(
            tokens = tinycss2.parse_component_value_list(value, skip_comments=True)
            if any(map(_has_error, tokens)):  # published as written, so it must parse whole
                self.refuse(f"has CSS in its '{local}' attribute that cannot be read: '{value[:60]}'")
            self.check_css(tokens, self.references[element], local)
        element.set(name, value)

    def fragment(self, reference: str) -> str:
        """The id a reference names, which must be a part of this picture (`#id`)."""
        reference = reference.strip()
        if not reference.startswith("#"):
            shown = reference if len(reference) <= 60 else reference[:57] + "..."
            self.refuse(f"refers to '{shown}', outside the picture")
        return reference[1:]

    def css(self, nodes: list, sink: list | None) -> str:
        """Checked CSS, written out again: what a browser would drop (comments, anything tinycss2
        could not parse, a rule inside a style attribute) is left out rather than passed on.

        `sink` collects a style attribute's references; None for a <style> sheet, whose rules are
        matched to the elements once the whole picture is read (`rules`)."""
        kept = ("declaration",) if sink is not None else ("qualified-rule", "at-rule")
        nodes = [node for node in nodes if node.type in (*kept, "whitespace") and not _has_error(node)]
        if sink is None:
            self.check_rules(nodes)
        else:
            self.check_css(nodes, sink, "")
        return tinycss2.serialize(nodes)

    def check_rules(self, rules: list) -> None:
        """Check a sheet's rules, and keep each rule's references with its selector (`rules`)."""
        for rule in rules:
            self.check_css([rule], None, "")
            if rule.type == "at-rule" and rule.content:
                self.check_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            elif rule.type == "qualified-rule":
                if any(token.type == "{} block" for token in rule.content):
                    self.refuse("has a CSS rule inside another rule, which the pipeline cannot follow",
                                "Write each CSS rule on its own, with its full selector.")
                references: list[tuple[str, bool]] = []
                self.check_css(rule.content, references, "")
                if references:
                    self.rules.append((rule.prelude, references))

    def check_css(self, tokens: list, sink: list | None, property_name: str) -> None:
        for token in tokens:
            kind = token.type
            if kind == "url":
                self.reference(self.fragment(token.value), sink, property_name)
                continue
            if kind in ("at-rule", "at-keyword"):
                keyword = token.lower_at_keyword if kind == "at-rule" else token.lower_value
                if keyword not in AT_RULES:
                    self.refuse(f"uses the CSS rule '@{keyword}', which can load a file")
            elif kind == "declaration":
                property_name = token.lower_name
            elif kind == "function":
                self.check_function(token, sink, property_name)
                continue
            self.check_css(_parts(token), sink, property_name)

    def check_function(self, function, sink: list | None, property_name: str) -> None:
        name = function.lower_name
        if name in REFUSED_FUNCTIONS:
            self.refuse(f"uses the CSS function '{name}()', which can make an address or run script")
        arguments = [token for token in function.arguments if token.type not in ("whitespace", "comment")]
        if name in URL_FUNCTIONS:
            if len(arguments) != 1 or arguments[0].type != "string":
                self.refuse(f"uses '{name}()' with an address the pipeline cannot check")
            self.reference(self.fragment(arguments[0].value), sink, property_name)
            return
        if name in IMAGE_FUNCTIONS:
            for token in arguments:
                if token.type == "string":
                    self.fragment(token.value)
        self.check_css(function.arguments, sink, property_name)

    def reference(self, target: str, sink: list | None, property_name: str) -> None:
        """A `url(#id)`, kept for counting what drawing the picture takes (_Cost)."""
        if sink is not None:
            sink.append((target, property_name in MARKER_PROPERTIES))

    def end(self, _tag: str) -> None:
        if self.dropping:
            self.dropping -= 1
            return
        element = self.open.pop()
        if _local(element) == "style":
            if len(element):
                self.refuse("has elements inside its <style>")
            element.text = self.css(tinycss2.parse_stylesheet(element.text or "", skip_comments=True), None)

    def text(self, data: str) -> None:
        if self.dropping or not self.open:
            return
        parent = self.open[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def _parts(token) -> list:
    """The tokens inside a CSS node: a rule's prelude and block, a declaration's value, a block's content."""
    kind = token.type
    if kind in ("at-rule", "qualified-rule"):
        return [*token.prelude, *(token.content or ())]
    if kind == "declaration":
        return token.value
    if kind == "function":
        return token.arguments
    if kind.endswith("block"):
        return token.content
    return []


def _has_error(token) -> bool:
    return token.type == "error" or any(_has_error(part) for part in _parts(token))


def _local(element: ElementTree.Element) -> str:
    return element.tag.rpartition("}")[2]


def _split(name: str) -> tuple[str | None, str]:
    namespace, _, local = name.rpartition(" ")
    return namespace or None, local


def _vertices(element: ElementTree.Element) -> int:
    """At most how many vertices a shape has (one per number of its path is more than enough)."""
    return max(2, len(_NUMBER.findall(element.get("d") or element.get("points") or "")))


def _apply_rules(root: ElementTree.Element, rules: list, references: dict) -> None:
    """Give each element the references of the <style> rules that match it, matched the way
    WeasyPrint matches them (cssselect2): a clip path named by a class rule is drawn for every
    element of that class. Every matching rule counts, whichever wins the cascade: a bound."""
    if not rules:
        return
    matcher = cssselect2.Matcher()
    for selector_tokens, found in rules:
        try:
            selectors = cssselect2.compile_selector_list(selector_tokens)
        except cssselect2.SelectorError:
            continue  # WeasyPrint skips the rule too
        for selector in selectors:
            matcher.add_selector(selector, found)
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        for *_, found in matcher.match(wrapper):
            references[wrapper.etree_element] += found


class _Cost:
    """How many elements WeasyPrint draws for the picture, every reference expanded, and how deep."""

    def __init__(self, name: str, root: ElementTree.Element, references) -> None:
        self.name, self.root, self.references = name, root, references
        self.ids = {}
        for element in root.iter():
            self.ids.setdefault(element.get("id"), element)
        self.drawn: dict[ElementTree.Element, int] = {}
        self.drawing: list[ElementTree.Element] = []

    def check(self) -> None:
        self.count(self.root)

    def count(self, element: ElementTree.Element) -> int:
        if element in self.drawn:
            return self.drawn[element]
        if element in self.drawing:
            raise Refused(f"the SVG picture '{self.name}' has an element that contains itself through"
                          f" '#{element.get('id')}'", "Remove the <use> (or url(#...)) that refers back to its own group.")
        if len(self.drawing) >= limits.MAX_SVG_DEPTH:
            raise Refused(f"the SVG picture '{self.name}' nests elements more than {limits.MAX_SVG_DEPTH} deep"
                          " once its <use> elements are expanded", "Ungroup some of its groups.")
        self.drawing.append(element)
        total = 1 + sum(1 if _local(child) in DRAWN_WHERE_USED else self.count(child) for child in element)
        for target, marker in self.references[element]:
            if target in self.ids:
                total += (_vertices(element) if marker else 1) * self.count(self.ids[target])
        self.drawing.pop()
        if total > limits.MAX_SVG_ELEMENTS:
            raise Refused(
                f"the SVG picture '{self.name}' draws more than {limits.MAX_SVG_ELEMENTS:,} elements once its"
                " copies of other parts (<use>, markers, patterns ...) are expanded",
                "Simplify the picture, or save it with fewer copies of copies (in Inkscape: Edit > Clone > Unlink Clone).",
            )
        self.drawn[element] = total
        return total


def serialise(root: ElementTree.Element) -> bytes:
    """The kept elements as UTF-8 XML; the same tree always gives the same bytes."""
    uses_xlink = any(key.startswith(f"{{{XLINK}}}") for element in root.iter() for key in element.attrib)
    declarations = f' xmlns="{SVG}"' + (f' xmlns:xlink="{XLINK}"' if uses_xlink else "")
    parts: list[str] = []

    def write(element: ElementTree.Element, extra: str = "") -> None:
        tag = _local(element)
        attributes = "".join(f' {_attribute_name(key)}="{_escape(value, True)}"' for key, value in element.attrib.items())
        if len(element) or element.text:
            parts.append(f"<{tag}{extra}{attributes}>{_escape(element.text or '')}")
            for child in element:
                write(child)
                parts.append(_escape(child.tail or ""))
            parts.append(f"</{tag}>")
        else:
            parts.append(f"<{tag}{extra}{attributes}/>")

    write(root, declarations)
    return ("".join(parts) + "\n").encode("utf-8")


def _attribute_name(key: str) -> str:
    namespace, _, local = key.rpartition("}")
    return {f"{{{XLINK}": "xlink:", f"{{{XML}": "xml:"}.get(namespace, "") + local


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text
