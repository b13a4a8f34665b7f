"""The copy of an executed notebook that newslens.report.htmlexport hands to nbconvert."""
from __future__ import annotations

import json
import re

import nbformat

VEGALITE_MIMETYPE = re.compile(r"^application/vnd\.vegalite\.v(\d+)\+json$")


def light_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `nb` to hand to nbconvert that leaves `nb` as it is, made without a deep copy.

    nbconvert deep-copies the notebook it is given four times (before preprocessing, in it, in
    nbformat's normalize, and the resources); a Vega-Lite spec with its data inline is most of a
    notebook's nodes, so each spec goes in as its JSON text (a string copies for nothing), which
    ChartPreprocessor reads back to the same spec. Metadata and the cells' lists are new (a title is
    set on the copy); nbconvert changes nothing else before its own deep copy.
    """
    light = nbformat.NotebookNode(nb)
    dict.__setitem__(light, "metadata", nbformat.NotebookNode(nb.get("metadata", {})))
    cells = []
    for cell in nb.get("cells", []):
        outputs = cell.get("outputs")
        if outputs and any(_spec_key(o) for o in outputs):
            cell = nbformat.NotebookNode(cell)
            dict.__setitem__(cell, "outputs", [_spec_as_text(o) for o in outputs])
        cells.append(cell)
    dict.__setitem__(light, "cells", cells)
    return light


def _spec_key(output) -> str | None:
    data = output.get("data")
    if not data:
        return None
    return next((k for k in data if VEGALITE_MIMETYPE.match(k) and isinstance(data[k], dict)), None)


def _spec_as_text(output):
    key = _spec_key(output)
    if key is None:
        return output
    data = nbformat.NotebookNode(output["data"])
    dict.__setitem__(data, key, json.dumps(data[key], ensure_ascii=False))
    output = nbformat.NotebookNode(output)
    dict.__setitem__(output, "data", data)
    return output
